// EC2 and ELBv2 XML answers rendered as the AWS CLI's JSON: names, types, lists, absent
// members, and the snapshot adapter reading the result.

#include "ingest/aws/awscli_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ingest/snapshot/snapshot.h"

namespace ecsguard::ingest::aws {
namespace {

using nlohmann::json;

// Trimmed from real DescribeInstances answers (one instance with a public IP, one without).
constexpr char kInstances[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
  <reservationSet>
    <item>
      <reservationId>r-1234567890abcdef0</reservationId>
      <ownerId>123456789012</ownerId>
      <groupSet/>
      <instancesSet>
        <item>
          <instanceId>i-1234567890abcdef0</instanceId>
          <imageId>ami-0abcdef1234567890</imageId>
          <instanceState><code>16</code><name>running</name></instanceState>
          <privateDnsName>ip-10-0-0-157.ec2.internal</privateDnsName>
          <dnsName>ec2-203-0-113-25.compute-1.amazonaws.com</dnsName>
          <instanceType>m5.large</instanceType>
          <launchTime>2026-01-20T12:00:00.000Z</launchTime>
          <placement><availabilityZone>us-east-1a</availabilityZone><tenancy>default</tenancy></placement>
          <subnetId>subnet-1</subnetId>
          <vpcId>vpc-1</vpcId>
          <privateIpAddress>10.0.0.157</privateIpAddress>
          <ipAddress>203.0.113.25</ipAddress>
          <groupSet><item><groupId>sg-1</groupId><groupName>web &amp; api</groupName></item></groupSet>
          <tagSet><item><key>Name</key><value>ecs-host</value></item></tagSet>
          <networkInterfaceSet><item><networkInterfaceId>eni-1</networkInterfaceId>
            <association><publicIp>203.0.113.25</publicIp></association>
            <attachment><deviceIndex>0</deviceIndex></attachment>
            <groupSet><item><groupId>sg-1</groupId></item></groupSet></item></networkInterfaceSet>
          <metadataOptions><httpTokens>required</httpTokens><httpPutResponseHopLimit>2</httpPutResponseHopLimit></metadataOptions>
        </item>
        <item>
          <instanceId>i-0fedcba9876543210</instanceId>
          <instanceState><code>16</code><name>running</name></instanceState>
          <placement><availabilityZone>us-east-1b</availabilityZone></placement>
          <vpcId>vpc-1</vpcId>
          <groupSet/>
        </item>
      </instancesSet>
    </item>
  </reservationSet>
</DescribeInstancesResponse>)";

constexpr char kSecurityGroups[] = R"(<DescribeSecurityGroupsResponse>
  <securityGroupInfo><item>
    <ownerId>123456789012</ownerId><groupId>sg-1</groupId><groupName>web</groupName>
    <groupDescription>web</groupDescription><vpcId>vpc-1</vpcId>
    <ipPermissions>
      <item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort>
        <groups><item><userId>123456789012</userId><groupId>sg-2</groupId></item></groups>
        <ipRanges/><ipv6Ranges/><prefixListIds/></item>
      <item><ipProtocol>-1</ipProtocol><groups/>
        <ipRanges><item><cidrIp>0.0.0.0/0</cidrIp><description>anyone</description></item></ipRanges>
        <ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges><prefixListIds/></item>
    </ipPermissions>
    <ipPermissionsEgress/>
  </item></securityGroupInfo>
</DescribeSecurityGroupsResponse>)";

constexpr char kLoadBalancers[] = R"(<DescribeLoadBalancersResponse>
  <DescribeLoadBalancersResult><LoadBalancers><member>
    <LoadBalancerArn>arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1</LoadBalancerArn>
    <LoadBalancerName>web</LoadBalancerName><Scheme>internet-facing</Scheme><Type>application</Type>
    <DNSName>web-1.us-east-1.elb.amazonaws.com</DNSName><VpcId>vpc-1</VpcId>
    <State><Code>active</Code></State>
    <AvailabilityZones><member><ZoneName>us-east-1a</ZoneName><SubnetId>subnet-1</SubnetId></member></AvailabilityZones>
    <SecurityGroups><member>sg-1</member></SecurityGroups>
  </member></LoadBalancers></DescribeLoadBalancersResult>
</DescribeLoadBalancersResponse>)";

constexpr char kTargetGroups[] = R"(<DescribeTargetGroupsResponse>
  <DescribeTargetGroupsResult><TargetGroups><member>
    <TargetGroupArn>arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/2</TargetGroupArn>
    <TargetGroupName>web</TargetGroupName><Protocol>HTTP</Protocol><Port>8080</Port>
    <HealthCheckEnabled>true</HealthCheckEnabled><TargetType>instance</TargetType>
    <LoadBalancerArns><member>arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1</member></LoadBalancerArns>
  </member></TargetGroups><NextMarker>abc</NextMarker></DescribeTargetGroupsResult>
</DescribeTargetGroupsResponse>)";

constexpr char kTags[] = R"(<DescribeTagsResponse><DescribeTagsResult><TagDescriptions>
  <member><ResourceArn>arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1</ResourceArn>
    <Tags><member><Key>environment</Key><Value>production</Value></member></Tags></member>
  <member><ResourceArn>arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/2</ResourceArn>
    <Tags/></member>
</TagDescriptions></DescribeTagsResult></DescribeTagsResponse>)";

json Render(std::string (*render)(const XmlElement&), std::string_view xml) {
  Result<XmlElement> doc = ParseXml(xml);
  EXPECT_TRUE(doc.ok()) << doc.error().ToString();
  std::string text = render(*doc);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  return json::parse(text);
}

TEST(AwsCliJsonTest, InstancesHaveTheCliNamesAndTypes) {
  json j = Render(Ec2InstancesJson, kInstances);
  const json& reservation = j["Reservations"][0];
  EXPECT_EQ(reservation["OwnerId"], "123456789012");
  EXPECT_EQ(reservation["Groups"], json::array());
  const json& a = reservation["Instances"][0];
  EXPECT_EQ(a["InstanceId"], "i-1234567890abcdef0");
  EXPECT_EQ(a["State"], (json{{"Code", 16}, {"Name", "running"}}));
  EXPECT_EQ(a["PublicIpAddress"], "203.0.113.25");
  EXPECT_EQ(a["PublicDnsName"], "ec2-203-0-113-25.compute-1.amazonaws.com");
  EXPECT_EQ(a["Placement"]["AvailabilityZone"], "us-east-1a");
  EXPECT_EQ(a["SecurityGroups"], (json{{{"GroupId", "sg-1"}, {"GroupName", "web & api"}}}));
  EXPECT_EQ(a["Tags"], (json{{{"Key", "Name"}, {"Value", "ecs-host"}}}));
  EXPECT_EQ(a["NetworkInterfaces"][0]["Attachment"]["DeviceIndex"], 0);
  EXPECT_EQ(a["NetworkInterfaces"][0]["Association"]["PublicIp"], "203.0.113.25");
  EXPECT_EQ(a["MetadataOptions"]["HttpPutResponseHopLimit"], 2);
  // Absent means absent: no public IP, no tags, no image.
  const json& b = reservation["Instances"][1];
  EXPECT_FALSE(b.contains("PublicIpAddress"));
  EXPECT_FALSE(b.contains("Tags"));
  EXPECT_FALSE(b.contains("ImageId"));
  EXPECT_EQ(b["SecurityGroups"], json::array());
}

TEST(AwsCliJsonTest, SecurityGroupRules) {
  json j = Render(Ec2SecurityGroupsJson, kSecurityGroups);
  const json& g = j["SecurityGroups"][0];
  EXPECT_EQ(g["GroupId"], "sg-1");
  EXPECT_EQ(g["Description"], "web");
  EXPECT_EQ(g["IpPermissionsEgress"], json::array());
  const json& ssh = g["IpPermissions"][0];
  EXPECT_EQ(ssh["FromPort"], 22);
  EXPECT_EQ(ssh["ToPort"], 22);
  EXPECT_EQ(ssh["UserIdGroupPairs"][0]["GroupId"], "sg-2");
  const json& all = g["IpPermissions"][1];
  EXPECT_EQ(all["IpProtocol"], "-1");
  EXPECT_FALSE(all.contains("FromPort"));
  EXPECT_EQ(all["IpRanges"][0], (json{{"CidrIp", "0.0.0.0/0"}, {"Description", "anyone"}}));
  EXPECT_EQ(all["Ipv6Ranges"][0]["CidrIpv6"], "::/0");
}

TEST(AwsCliJsonTest, LoadBalancingShapes) {
  json lb = Render(Elbv2LoadBalancersJson, kLoadBalancers)["LoadBalancers"][0];
  EXPECT_EQ(lb["Scheme"], "internet-facing");
  EXPECT_EQ(lb["State"]["Code"], "active");
  EXPECT_EQ(lb["SecurityGroups"], json::array({"sg-1"}));
  EXPECT_EQ(lb["AvailabilityZones"][0]["ZoneName"], "us-east-1a");
  json tgs = Render(Elbv2TargetGroupsJson, kTargetGroups);
  EXPECT_FALSE(tgs.contains("NextMarker"));  // pages are joined, as the CLI does
  json tg = tgs["TargetGroups"][0];
  EXPECT_EQ(tg["Port"], 8080);
  EXPECT_EQ(tg["HealthCheckEnabled"], true);
  EXPECT_EQ(tg["LoadBalancerArns"].size(), 1u);
  json tags = Render(Elbv2TagsJson, kTags);
  EXPECT_EQ(tags["TagDescriptions"][0]["Tags"][0],
            (json{{"Key", "environment"}, {"Value", "production"}}));
  EXPECT_EQ(tags["TagDescriptions"][1]["Tags"], json::array());
  // An answer with nothing in it still has its list.
  EXPECT_EQ(Render(Elbv2TagsJson, "<DescribeTagsResponse/>"),
            (json{{"TagDescriptions", json::array()}}));
}

TEST(AwsCliJsonTest, TheSnapshotAdapterReadsEveryShape) {
  using Renderer = std::string (*)(const XmlElement&);
  const std::pair<Renderer, const char*> documents[] = {{Ec2InstancesJson, kInstances},
                                                        {Ec2SecurityGroupsJson, kSecurityGroups},
                                                        {Elbv2LoadBalancersJson, kLoadBalancers},
                                                        {Elbv2TargetGroupsJson, kTargetGroups},
                                                        {Elbv2TagsJson, kTags}};
  std::string text;
  for (const auto& [render, xml] : documents) text += render(*ParseXml(xml)) + "\n";
  SnapshotResult s = LoadSnapshotText(text, "live");
  ASSERT_TRUE(s.problems.empty()) << s.problems[0].ToString();
  EXPECT_EQ(s.stats.ec2_instances, 2u);
  EXPECT_EQ(s.stats.load_balancers, 1u);
  EXPECT_EQ(s.stats.target_groups, 1u);
  auto sg = s.graph.FindNode("arn:aws:ec2:us-east-1:123456789012:security-group/sg-1");
  ASSERT_TRUE(sg);
  EXPECT_TRUE(s.graph.GetProp(*sg, "openToInternet").as_bool());
  auto lb = s.graph.FindNode(
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1");
  ASSERT_TRUE(lb);
  EXPECT_EQ(s.graph.GetProp(*lb, "tags").as_list()[0].as_string(), "environment=production");
}

}  // namespace
}  // namespace ecsguard::ingest::aws

#pragma once

// The JSON the AWS CLI prints for the EC2 and ELBv2 answers the collectors read. Those services
// answer in XML (EC2: lower-camel names, lists of <item>; ELBv2: query-protocol <member> lists);
// the CLI renders them after the service model: upper-camel keys, lists named by the model
// (instancesSet -> Instances, groupSet -> SecurityGroups), integers and Booleans typed. The
// collectors feed these documents to the snapshot adapter, so a live scan and a scan of what it
// saved read the same shapes.
//
// Only the members the asset graph, the findings and a reader of a saved snapshot need are
// rendered; a member the answer does not have is left out (absent means null), never defaulted.
// Each function takes the response document as Client::CallQuery returns it and gives one
// compact JSON line.
//
//   Result<XmlElement> doc = ec2.CallQuery("DescribeInstances", params);
//   documents.push_back({"ec2 describe-instances", Ec2InstancesJson(*doc)});

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

#include "ingest/aws/xml.h"

namespace ecsguard::ingest::aws {

// {"Reservations": [{"ReservationId", "OwnerId", "Instances": [...]}]}
std::string Ec2InstancesJson(const XmlElement& response);
// {"SecurityGroups": [{"GroupId", "GroupName", "OwnerId", "VpcId", "IpPermissions", ...}]}
std::string Ec2SecurityGroupsJson(const XmlElement& response);
// {"LoadBalancers": [{"LoadBalancerArn", "Scheme", "Type", "DNSName", ...}]}
std::string Elbv2LoadBalancersJson(const XmlElement& response);
// {"TargetGroups": [{"TargetGroupArn", "Port", "LoadBalancerArns", ...}]}
std::string Elbv2TargetGroupsJson(const XmlElement& response);
// {"TagDescriptions": [{"ResourceArn", "Tags": [{"Key", "Value"}]}]}
std::string Elbv2TagsJson(const XmlElement& response);

// One compact JSON line; invalid UTF-8 in a string becomes U+FFFD instead of an exception.
std::string CompactJson(const nlohmann::json& j);

// The string member `key` of a JSON answer, or "" when it is absent or not a string.
std::string StringMember(const nlohmann::json& object, std::string_view key);

}  // namespace ecsguard::ingest::aws

#include "ingest/aws/awscli_json.h"

#include <charconv>
#include <cstdint>
#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ingest/aws/protocol.h"

namespace ecsguard::ingest::aws {
namespace {

using nlohmann::json;

enum class Kind : uint8_t { kString, kInt, kBool, kObject, kList, kStringList };

// One member: its XML element, its CLI name, its type, and for objects and list items their
// members. Lists are the element's children, whatever they are called (<item>, <member>).
struct Field {
  std::string_view xml;
  std::string_view json;
  Kind kind = Kind::kString;
  std::span<const Field> fields = {};
};

constexpr Kind S = Kind::kString, I = Kind::kInt, B = Kind::kBool, O = Kind::kObject,
               L = Kind::kList, SL = Kind::kStringList;

json Render(const XmlElement& element, std::span<const Field> fields) {
  json out = json::object();
  for (const Field& f : fields) {
    const XmlElement* child = element.Child(f.xml);
    if (!child) continue;
    std::string key(f.json);
    switch (f.kind) {
      case Kind::kString:
        out[key] = child->text;
        break;
      case Kind::kInt: {
        int64_t value = 0;
        const std::string& t = child->text;
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
        if (ec == std::errc() && end == t.data() + t.size()) out[key] = value;
        break;
      }
      case Kind::kBool:
        if (child->text == "true" || child->text == "false") out[key] = child->text == "true";
        break;
      case Kind::kObject:
        out[key] = Render(*child, f.fields);
        break;
      case Kind::kList: {
        json list = json::array();
        for (const XmlElement& item : child->children) list.push_back(Render(item, f.fields));
        out[key] = std::move(list);
        break;
      }
      case Kind::kStringList: {
        json list = json::array();
        for (const XmlElement& item : child->children) list.push_back(item.text);
        out[key] = std::move(list);
        break;
      }
    }
  }
  return out;
}

// EC2 (2016-11-15).
constexpr Field kEc2Tag[] = {{"key", "Key"}, {"value", "Value"}};
constexpr Field kEc2Group[] = {{"groupId", "GroupId"}, {"groupName", "GroupName"}};
constexpr Field kEc2State[] = {{"code", "Code", I}, {"name", "Name"}};
constexpr Field kEc2Placement[] = {
    {"availabilityZone", "AvailabilityZone"}, {"groupName", "GroupName"}, {"tenancy", "Tenancy"}};
constexpr Field kEc2Profile[] = {{"arn", "Arn"}, {"id", "Id"}};
constexpr Field kEc2Metadata[] = {{"state", "State"},
                                  {"httpTokens", "HttpTokens"},
                                  {"httpPutResponseHopLimit", "HttpPutResponseHopLimit", I},
                                  {"httpEndpoint", "HttpEndpoint"}};
constexpr Field kEc2Association[] = {
    {"publicIp", "PublicIp"}, {"publicDnsName", "PublicDnsName"}, {"ipOwnerId", "IpOwnerId"}};
constexpr Field kEc2Attachment[] = {
    {"attachmentId", "AttachmentId"}, {"deviceIndex", "DeviceIndex", I}, {"status", "Status"}};
constexpr Field kEc2Interface[] = {{"networkInterfaceId", "NetworkInterfaceId"},
                                   {"subnetId", "SubnetId"},
                                   {"vpcId", "VpcId"},
                                   {"privateIpAddress", "PrivateIpAddress"},
                                   {"association", "Association", O, kEc2Association},
                                   {"attachment", "Attachment", O, kEc2Attachment},
                                   {"groupSet", "Groups", L, kEc2Group}};
constexpr Field kEc2Instance[] = {{"instanceId", "InstanceId"},
                                  {"imageId", "ImageId"},
                                  {"instanceState", "State", O, kEc2State},
                                  {"privateDnsName", "PrivateDnsName"},
                                  {"dnsName", "PublicDnsName"},
                                  {"instanceType", "InstanceType"},
                                  {"launchTime", "LaunchTime"},
                                  {"placement", "Placement", O, kEc2Placement},
                                  {"subnetId", "SubnetId"},
                                  {"vpcId", "VpcId"},
                                  {"privateIpAddress", "PrivateIpAddress"},
                                  {"ipAddress", "PublicIpAddress"},
                                  {"groupSet", "SecurityGroups", L, kEc2Group},
                                  {"tagSet", "Tags", L, kEc2Tag},
                                  {"iamInstanceProfile", "IamInstanceProfile", O, kEc2Profile},
                                  {"networkInterfaceSet", "NetworkInterfaces", L, kEc2Interface},
                                  {"metadataOptions", "MetadataOptions", O, kEc2Metadata}};
constexpr Field kEc2Reservation[] = {{"reservationId", "ReservationId"},
                                     {"ownerId", "OwnerId"},
                                     {"requesterId", "RequesterId"},
                                     {"groupSet", "Groups", L, kEc2Group},
                                     {"instancesSet", "Instances", L, kEc2Instance}};
constexpr Field kEc2Instances[] = {{"reservationSet", "Reservations", L, kEc2Reservation}};

constexpr Field kEc2IpRange[] = {{"cidrIp", "CidrIp"}, {"description", "Description"}};
constexpr Field kEc2Ipv6Range[] = {{"cidrIpv6", "CidrIpv6"}, {"description", "Description"}};
constexpr Field kEc2GroupPair[] = {{"groupId", "GroupId"},
                                   {"groupName", "GroupName"},
                                   {"userId", "UserId"},
                                   {"vpcId", "VpcId"},
                                   {"description", "Description"}};
constexpr Field kEc2PrefixList[] = {{"prefixListId", "PrefixListId"},
                                    {"description", "Description"}};
constexpr Field kEc2Permission[] = {{"ipProtocol", "IpProtocol"},
                                    {"fromPort", "FromPort", I},
                                    {"toPort", "ToPort", I},
                                    {"groups", "UserIdGroupPairs", L, kEc2GroupPair},
                                    {"ipRanges", "IpRanges", L, kEc2IpRange},
                                    {"ipv6Ranges", "Ipv6Ranges", L, kEc2Ipv6Range},
                                    {"prefixListIds", "PrefixListIds", L, kEc2PrefixList}};
constexpr Field kEc2SecurityGroup[] = {
    {"groupId", "GroupId"},
    {"groupName", "GroupName"},
    {"groupDescription", "Description"},
    {"ownerId", "OwnerId"},
    {"vpcId", "VpcId"},
    {"securityGroupArn", "SecurityGroupArn"},
    {"ipPermissions", "IpPermissions", L, kEc2Permission},
    {"ipPermissionsEgress", "IpPermissionsEgress", L, kEc2Permission},
    {"tagSet", "Tags", L, kEc2Tag}};
constexpr Field kEc2SecurityGroups[] = {
    {"securityGroupInfo", "SecurityGroups", L, kEc2SecurityGroup}};

// ELBv2 (2015-12-01): the names are the CLI's already.
constexpr Field kElbTag[] = {{"Key", "Key"}, {"Value", "Value"}};
constexpr Field kElbState[] = {{"Code", "Code"}, {"Reason", "Reason"}};
constexpr Field kElbZone[] = {{"ZoneName", "ZoneName"}, {"SubnetId", "SubnetId"}};
constexpr Field kElbLoadBalancer[] = {{"LoadBalancerArn", "LoadBalancerArn"},
                                      {"DNSName", "DNSName"},
                                      {"CanonicalHostedZoneId", "CanonicalHostedZoneId"},
                                      {"CreatedTime", "CreatedTime"},
                                      {"LoadBalancerName", "LoadBalancerName"},
                                      {"Scheme", "Scheme"},
                                      {"VpcId", "VpcId"},
                                      {"State", "State", O, kElbState},
                                      {"Type", "Type"},
                                      {"AvailabilityZones", "AvailabilityZones", L, kElbZone},
                                      {"SecurityGroups", "SecurityGroups", SL},
                                      {"IpAddressType", "IpAddressType"}};
constexpr Field kElbLoadBalancers[] = {{"LoadBalancers", "LoadBalancers", L, kElbLoadBalancer}};
constexpr Field kElbTargetGroup[] = {{"TargetGroupArn", "TargetGroupArn"},
                                     {"TargetGroupName", "TargetGroupName"},
                                     {"Protocol", "Protocol"},
                                     {"Port", "Port", I},
                                     {"VpcId", "VpcId"},
                                     {"HealthCheckEnabled", "HealthCheckEnabled", B},
                                     {"HealthCheckPath", "HealthCheckPath"},
                                     {"TargetType", "TargetType"},
                                     {"LoadBalancerArns", "LoadBalancerArns", SL},
                                     {"IpAddressType", "IpAddressType"}};
constexpr Field kElbTargetGroups[] = {{"TargetGroups", "TargetGroups", L, kElbTargetGroup}};
constexpr Field kElbTagDescription[] = {{"ResourceArn", "ResourceArn"},
                                        {"Tags", "Tags", L, kElbTag}};
constexpr Field kElbTagDescriptions[] = {
    {"TagDescriptions", "TagDescriptions", L, kElbTagDescription}};

// The top-level list is always printed, empty when the answer had none.
std::string Top(const XmlElement& at, std::span<const Field> top) {
  json out = Render(at, top);
  std::string key(top.front().json);
  if (!out.contains(key)) out[key] = json::array();
  return CompactJson(out);
}

}  // namespace

std::string Ec2InstancesJson(const XmlElement& response) { return Top(response, kEc2Instances); }

std::string Ec2SecurityGroupsJson(const XmlElement& response) {
  return Top(response, kEc2SecurityGroups);
}

std::string Elbv2LoadBalancersJson(const XmlElement& response) {
  return Top(QueryResult(response, "DescribeLoadBalancers"), kElbLoadBalancers);
}

std::string Elbv2TargetGroupsJson(const XmlElement& response) {
  return Top(QueryResult(response, "DescribeTargetGroups"), kElbTargetGroups);
}

std::string Elbv2TagsJson(const XmlElement& response) {
  return Top(QueryResult(response, "DescribeTags"), kElbTagDescriptions);
}

std::string CompactJson(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string StringMember(const json& object, std::string_view key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace ecsguard::ingest::aws

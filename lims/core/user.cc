#include "lims/core/user.h"

#include <algorithm>
#include <array>
#include <utility>

namespace lims {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 6> kRoles{{
    {Role::kAdmin, "admin"},
    {Role::kTechnician, "technician"},
    {Role::kReviewer, "reviewer"},
    {Role::kSignatory, "signatory"},
    {Role::kExporter, "exporter"},
    {Role::kAuditor, "auditor"},
}};

bool Contains(const std::vector<Role>& roles, Role r) {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

}  // namespace

std::string_view RoleName(Role r) {
  for (const auto& [role, name] : kRoles) {
    if (role == r) return name;
  }
  return "unknown";
}

Result<Role> ParseRole(std::string_view text) {
  for (const auto& [role, name] : kRoles) {
    if (name == text) return role;
  }
  return Status::InvalidArgument("role must be admin, technician, reviewer, signatory, exporter or auditor");
}

std::vector<Role> AllRoles() {
  std::vector<Role> out;
  for (const auto& [role, name] : kRoles) out.push_back(role);
  return out;
}

bool User::Has(Role r) const {
  return Contains(roles, r);
}
bool Principal::Has(Role r) const {
  return Contains(roles, r);
}

Status ValidateRoles(const std::vector<Role>& roles, const std::optional<int64_t>& organization_id) {
  if (roles.empty()) return Status::Unprocessable("a user needs a role", {{"roles", "name at least one role"}});
  const bool exporter = Contains(roles, Role::kExporter);
  if (exporter && roles.size() > 1) {
    return Status::Unprocessable("an exporter holds no other role", {{"roles", "exporter cannot be combined"}});
  }
  if (exporter && !organization_id) {
    return Status::Unprocessable("an exporter belongs to one organisation", {{"organization", "is required"}});
  }
  if (!exporter && organization_id) {
    return Status::Unprocessable("staff belong to the lab", {{"organization", "only exporter users name one"}});
  }
  return Status::Ok();
}

std::string UserDocument(const User& u) {
  std::vector<std::string> roles;
  for (Role r : u.roles) roles.emplace_back(RoleName(r));
  AuditJson j;
  j.Set("id", std::to_string(u.id)).Set("username", u.username).Set("name", u.name).Set("roles", roles);
  j.Set("disabled", u.disabled ? "true" : "false");
  if (u.organization_id) j.Set("organization", std::to_string(*u.organization_id));
  return j.str();
}

AuditChange UserCreatedChange(const User& u) {
  return {"user.create", "user", std::to_string(u.id), "", UserDocument(u), ""};
}

}  // namespace lims

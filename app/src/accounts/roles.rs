//! Roles, their scopes, and what each allows. Pure rules, checked on the server by every
//! server function; the UI only uses them to hide what a role cannot use.

use crate::i18n::Key;
use serde::{Deserialize, Serialize};

/// A role beyond the default resident / office worker, which everyone signed in has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    BuildingManager,
    DepartmentStaff,
    StationStaff,
    Partner,
    Admin,
}

/// What kind of thing a role is scoped to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScopeKind {
    /// A building or park (楼宇/园区).
    Building,
    /// A department (职能部门).
    Department,
    /// A lunch point (白领午餐点).
    LunchPoint,
    /// A partner unit (共建单位).
    PartnerUnit,
}

/// The one thing a grant is scoped to, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Everything,
    Place(i64),
    Department(i64),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    pub id: i64,
    pub role: Role,
    pub scope: Scope,
    /// The scope's name in the reader's language, for display.
    pub scope_name: Option<String>,
}

/// What a server function may be asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    ManageRoles,
    ManagePlaces,
    TriageBuilding(i64),
    HandleDepartment(i64),
    OperateLunchPoint(i64),
    VerifyRedemptionsFor(i64),
    /// Offer rewards for points on behalf of this partner unit.
    OfferRewardsAt(i64),
    /// Organise volunteer activities at this place (its station staff).
    OrganiseAt(i64),
}

pub const ALL_ROLES: [Role; 5] = [
    Role::BuildingManager,
    Role::DepartmentStaff,
    Role::StationStaff,
    Role::Partner,
    Role::Admin,
];

impl Role {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::BuildingManager => "building_manager",
            Role::DepartmentStaff => "department_staff",
            Role::StationStaff => "station_staff",
            Role::Partner => "partner",
            Role::Admin => "admin",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        ALL_ROLES.into_iter().find(|r| r.as_str() == name)
    }

    pub fn label(self) -> Key {
        match self {
            Role::BuildingManager => Key::RoleBuildingManager,
            Role::DepartmentStaff => Key::RoleDepartmentStaff,
            Role::StationStaff => Key::RoleStationStaff,
            Role::Partner => Key::RolePartner,
            Role::Admin => Key::RoleAdmin,
        }
    }

    /// The kind of scope a grant of this role must name; `None` for unscoped roles.
    pub fn scope_kind(self) -> Option<ScopeKind> {
        match self {
            Role::BuildingManager => Some(ScopeKind::Building),
            Role::DepartmentStaff => Some(ScopeKind::Department),
            Role::StationStaff => Some(ScopeKind::LunchPoint),
            Role::Partner => Some(ScopeKind::PartnerUnit),
            Role::Admin => None,
        }
    }
}

impl ScopeKind {
    /// The place kind (see the `places.kinds` column) a place scope must have.
    pub fn place_kind(self) -> Option<&'static str> {
        match self {
            ScopeKind::Building => Some("building"),
            ScopeKind::LunchPoint => Some("lunch_point"),
            ScopeKind::PartnerUnit => Some("partner_unit"),
            ScopeKind::Department => None,
        }
    }
}

/// Whether `grants` allow `permission`. Admins may do everything; other roles only within
/// their scope.
pub fn allows(grants: &[RoleGrant], permission: Permission) -> bool {
    grants.iter().any(|g| {
        g.role == Role::Admin
            || match (permission, g.role, g.scope) {
                (Permission::TriageBuilding(id), Role::BuildingManager, Scope::Place(p)) => id == p,
                (Permission::HandleDepartment(id), Role::DepartmentStaff, Scope::Department(d)) => {
                    id == d
                }
                (
                    Permission::OperateLunchPoint(id),
                    Role::StationStaff | Role::Partner,
                    Scope::Place(p),
                ) => id == p,
                (
                    Permission::VerifyRedemptionsFor(id) | Permission::OfferRewardsAt(id),
                    Role::Partner,
                    Scope::Place(p),
                ) => id == p,
                (Permission::OrganiseAt(id), Role::StationStaff, Scope::Place(p)) => id == p,
                _ => false,
            }
    })
}

/// The places where `grants` give one of `roles`.
pub fn places_held(grants: &[RoleGrant], roles: &[Role]) -> Vec<i64> {
    grants
        .iter()
        .filter(|g| roles.contains(&g.role))
        .filter_map(|g| match g.scope {
            Scope::Place(id) => Some(id),
            _ => None,
        })
        .collect()
}

pub fn is_admin(grants: &[RoleGrant]) -> bool {
    allows(grants, Permission::ManageRoles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, scope: Scope) -> RoleGrant {
        RoleGrant {
            id: 1,
            role,
            scope,
            scope_name: None,
        }
    }

    #[test]
    fn residents_may_do_no_staff_work() {
        for p in [
            Permission::ManageRoles,
            Permission::ManagePlaces,
            Permission::TriageBuilding(1),
        ] {
            assert!(!allows(&[], p));
        }
    }

    #[test]
    fn scoped_roles_act_only_inside_their_scope() {
        let manager = [grant(Role::BuildingManager, Scope::Place(7))];
        assert!(allows(&manager, Permission::TriageBuilding(7)));
        assert!(!allows(&manager, Permission::TriageBuilding(8)));
        assert!(!allows(&manager, Permission::OperateLunchPoint(7)));
        assert!(!allows(&manager, Permission::ManageRoles));

        let staff = [grant(Role::DepartmentStaff, Scope::Department(3))];
        assert!(allows(&staff, Permission::HandleDepartment(3)));
        assert!(!allows(&staff, Permission::HandleDepartment(4)));

        let station = [grant(Role::StationStaff, Scope::Place(2))];
        assert!(allows(&station, Permission::OperateLunchPoint(2)));
        assert!(!allows(&station, Permission::VerifyRedemptionsFor(2)));

        let partner = [grant(Role::Partner, Scope::Place(5))];
        assert!(allows(&partner, Permission::VerifyRedemptionsFor(5)));
        assert!(!allows(&partner, Permission::VerifyRedemptionsFor(6)));
        assert!(allows(&partner, Permission::OfferRewardsAt(5)));
        assert!(!allows(&partner, Permission::OfferRewardsAt(6)));
        assert!(!allows(&station, Permission::OfferRewardsAt(2)));
    }

    #[test]
    fn admins_may_do_everything() {
        let admin = [grant(Role::Admin, Scope::Everything)];
        assert!(is_admin(&admin));
        for p in [
            Permission::ManagePlaces,
            Permission::TriageBuilding(9),
            Permission::HandleDepartment(1),
        ] {
            assert!(allows(&admin, p));
        }
    }

    #[test]
    fn role_names_round_trip() {
        for role in ALL_ROLES {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_admin_is_unscoped() {
        for role in ALL_ROLES {
            assert_eq!(role.scope_kind().is_none(), role == Role::Admin);
        }
    }
}

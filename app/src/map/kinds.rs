//! The kinds of place. A place may be several (a station that is also a lunch point).

use crate::i18n::Key;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PlaceKind {
    ServiceStation,
    LunchPoint,
    Building,
    JointCommittee,
    PartnerUnit,
    ActivityVenue,
}

pub const ALL_KINDS: [PlaceKind; 6] = [
    PlaceKind::ServiceStation,
    PlaceKind::LunchPoint,
    PlaceKind::Building,
    PlaceKind::JointCommittee,
    PlaceKind::PartnerUnit,
    PlaceKind::ActivityVenue,
];

impl PlaceKind {
    /// The name in URLs, the database and GeoJSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::ServiceStation => "service_station",
            PlaceKind::LunchPoint => "lunch_point",
            PlaceKind::Building => "building",
            PlaceKind::JointCommittee => "joint_committee",
            PlaceKind::PartnerUnit => "partner_unit",
            PlaceKind::ActivityVenue => "activity_venue",
        }
    }

    pub fn parse(name: &str) -> Option<PlaceKind> {
        ALL_KINDS.into_iter().find(|k| k.as_str() == name)
    }

    pub fn label(self) -> Key {
        match self {
            PlaceKind::ServiceStation => Key::KindServiceStation,
            PlaceKind::LunchPoint => Key::KindLunchPoint,
            PlaceKind::Building => Key::KindBuilding,
            PlaceKind::JointCommittee => Key::KindJointCommittee,
            PlaceKind::PartnerUnit => Key::KindPartnerUnit,
            PlaceKind::ActivityVenue => Key::KindActivityVenue,
        }
    }

    /// The badge and marker colour (Tailwind class names; the map reads `data-kind`).
    pub fn badge_class(self) -> &'static str {
        match self {
            PlaceKind::ServiceStation => "badge badge-station",
            PlaceKind::LunchPoint => "badge badge-lunch",
            PlaceKind::Building => "badge badge-building",
            PlaceKind::JointCommittee => "badge badge-committee",
            PlaceKind::PartnerUnit => "badge badge-partner",
            PlaceKind::ActivityVenue => "badge badge-venue",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_round_trip() {
        for kind in ALL_KINDS {
            assert_eq!(PlaceKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(PlaceKind::parse("castle"), None);
    }
}

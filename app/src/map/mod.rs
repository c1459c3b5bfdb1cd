//! The resource map (资源地图): every place of the subdistrict on one map and one list.

pub mod admin;
pub mod finder;
pub mod geo;
pub mod hours;
pub mod kinds;
pub mod views;

#[cfg(feature = "ssr")]
pub mod store;

use crate::error::{AppError, Field, Problem};
use geo::{BoundingBox, LatLon};
use hours::Hours;
use kinds::PlaceKind;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The most places one list shows; the nearest (or first by name) are kept.
pub const MAX_RESULTS: usize = 500;
/// How many places the list shows at first, and how many more each "more" adds: a phone
/// screen shows a handful, and the map draws every match from the GeoJSON feed.
pub const PAGE_SIZE: usize = 30;

/// The list length asked for by `shown` (0 when absent), within one page and the maximum.
pub fn list_length(shown: usize) -> usize {
    shown.clamp(PAGE_SIZE, MAX_RESULTS)
}
pub const MAX_SEARCH_CHARS: usize = 50;

/// A place as the list and the map show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceSummary {
    pub id: i64,
    pub name: String,
    pub kinds: Vec<PlaceKind>,
    pub address: String,
    pub at: LatLon,
    /// `None` when the place has no opening hours on record.
    pub open_now: Option<bool>,
    pub distance_m: Option<u32>,
    pub services: Vec<String>,
    pub is_demo: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceList {
    pub places: Vec<PlaceSummary>,
    /// How many places matched before the list was cut to `MAX_RESULTS`.
    pub matched: usize,
    /// The 15-minute circle, when the list is limited to one.
    pub circle: Option<Circle>,
    /// The map tile URL template (configuration).
    pub tile_url: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Circle {
    pub centre: LatLon,
    pub radius_m: u32,
}

/// A related place: a joint committee's member building, or a building's committee.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelatedPlace {
    pub id: i64,
    pub name: String,
    pub kinds: Vec<PlaceKind>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceDetail {
    pub id: i64,
    pub name: String,
    pub kinds: Vec<PlaceKind>,
    pub address: String,
    pub at: LatLon,
    pub phone: Option<String>,
    pub description: String,
    pub services: Vec<String>,
    pub hours: Hours,
    pub open_now: Option<bool>,
    /// Today in Shanghai, as days since 1970-01-01, to highlight today's hours.
    pub today: i32,
    pub members: Vec<RelatedPlace>,
    pub member_of: Vec<RelatedPlace>,
    pub offers: Vec<String>,
    pub is_demo: bool,
    pub hidden: bool,
}

/// What the list asks for, parsed and checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaceFilter {
    pub kinds: Vec<PlaceKind>,
    /// Whitespace-separated words; a place must match all of them.
    pub terms: Vec<String>,
    pub open_now: bool,
    pub near: Option<LatLon>,
    pub within_m: Option<u32>,
    pub bbox: Option<BoundingBox>,
}

impl PlaceFilter {
    /// Parses the list's URL parameters: `kind` (comma-separated), `q`, `open`, `near`
    /// (`lat,lon`) and `circle` (limit to the 15-minute circle around `near`).
    pub fn parse(
        kind: &str,
        q: &str,
        open: bool,
        near: &str,
        circle: bool,
    ) -> Result<PlaceFilter, AppError> {
        let kinds = kind
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| {
                PlaceKind::parse(k).ok_or(AppError::invalid(Field::Kind, Problem::UnknownKind))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if q.chars().count() > MAX_SEARCH_CHARS {
            return Err(AppError::invalid(
                Field::Query,
                Problem::TooLong {
                    max: MAX_SEARCH_CHARS,
                },
            ));
        }
        let terms = q.split_whitespace().map(str::to_lowercase).collect();
        let near = match near.trim() {
            "" => None,
            text => Some(
                LatLon::parse(text).ok_or(AppError::invalid(Field::Near, Problem::PointFormat))?,
            ),
        };
        if circle && near.is_none() {
            return Err(AppError::invalid(Field::Near, Problem::Required));
        }
        let within_m = circle.then_some(geo::FIFTEEN_MINUTE_RADIUS_M);
        Ok(PlaceFilter {
            kinds,
            terms,
            open_now: open,
            near,
            within_m,
            bbox: None,
        })
    }
}

#[server(endpoint = "search_places", output = crate::codec::Json)]
pub async fn search_places(
    #[server(default)] kind: String,
    #[server(default)] q: String,
    #[server(default)] open: bool,
    #[server(default)] near: String,
    #[server(default)] circle: bool,
    #[server(default)] shown: usize,
) -> Result<PlaceList, AppError> {
    let state = crate::state::app_state()?;
    let filter = PlaceFilter::parse(&kind, &q, open, &near, circle)?;
    let now = state.clock.shanghai_now();
    let locale = crate::state::request_locale();
    let limit = list_length(shown);
    let (places, matched) = store::search(&state.pool, &filter, locale, now, limit).await?;
    let circle = filter
        .near
        .zip(filter.within_m)
        .map(|(centre, radius_m)| Circle { centre, radius_m });
    Ok(PlaceList {
        places,
        matched,
        circle,
        tile_url: state.tile_url.clone(),
    })
}

#[server(endpoint = "place_detail", output = crate::codec::Json)]
pub async fn get_place_detail(id: i64) -> Result<PlaceDetail, AppError> {
    let state = crate::state::app_state()?;
    let now = state.clock.shanghai_now();
    let detail = store::detail(&state.pool, id, crate::state::request_locale(), now)
        .await?
        .ok_or(AppError::NotFound)?;
    if detail.hidden {
        // Hidden places exist only for admins, who may restore them.
        crate::accounts::auth::require(crate::accounts::roles::Permission::ManagePlaces)
            .await
            .map_err(|_| AppError::NotFound)?;
    }
    Ok(detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_from_url_parameters() {
        let f = PlaceFilter::parse(
            "lunch_point,service_station",
            "  新会  服务站 ",
            true,
            "31.24,121.44",
            true,
        )
        .unwrap();
        assert_eq!(
            f.kinds,
            vec![PlaceKind::LunchPoint, PlaceKind::ServiceStation]
        );
        assert_eq!(f.terms, vec!["新会", "服务站"]);
        assert!(f.open_now);
        assert_eq!(f.within_m, Some(1200));
        assert_eq!(
            PlaceFilter::parse("", "", false, "", false).unwrap(),
            PlaceFilter::default()
        );
    }

    #[test]
    fn bad_parameters_name_the_field() {
        assert_eq!(
            PlaceFilter::parse("castle", "", false, "", false),
            Err(AppError::invalid(Field::Kind, Problem::UnknownKind))
        );
        assert_eq!(
            PlaceFilter::parse("", "", false, "north", false),
            Err(AppError::invalid(Field::Near, Problem::PointFormat))
        );
        assert_eq!(
            PlaceFilter::parse("", "", false, "", true),
            Err(AppError::invalid(Field::Near, Problem::Required))
        );
        assert_eq!(
            PlaceFilter::parse("", &"长".repeat(51), false, "", false),
            Err(AppError::invalid(
                Field::Query,
                Problem::TooLong { max: 50 }
            ))
        );
    }
}

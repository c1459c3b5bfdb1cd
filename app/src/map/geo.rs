//! Coordinates (WGS-84), distances, and the subdistrict's bounding area.

use crate::error::Problem;
use serde::{Deserialize, Serialize};

/// The area places must lie in: the Changshou Road subdistrict on both banks of Suzhou Creek,
/// with a margin. Changshou Road metro station (31.2418 N, 121.4395 E) is near its middle.
pub const AREA: BoundingBox = BoundingBox {
    south: 31.228,
    west: 121.420,
    north: 31.256,
    east: 121.458,
};

/// Where the map opens: Changshou Road metro station.
pub const CENTRE: LatLon = LatLon {
    lat: 31.2418,
    lon: 121.4395,
};

/// About fifteen minutes' walk.
pub const FIFTEEN_MINUTE_RADIUS_M: u32 = 1_200;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoundingBox {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl BoundingBox {
    pub fn contains(&self, p: LatLon) -> bool {
        (self.south..=self.north).contains(&p.lat) && (self.west..=self.east).contains(&p.lon)
    }

    /// GeoJSON's `bbox` order: `west,south,east,north` (RFC 7946 §5).
    pub fn parse_geojson(text: &str) -> Option<BoundingBox> {
        let numbers: Vec<f64> = text
            .split(',')
            .map(|n| n.trim().parse().ok())
            .collect::<Option<_>>()?;
        let [west, south, east, north] = numbers.as_slice() else {
            return None;
        };
        let valid = numbers.iter().all(|n| n.is_finite())
            && (-90.0..=90.0).contains(south)
            && (-90.0..=90.0).contains(north)
            && south <= north
            && (-180.0..=180.0).contains(west)
            && (-180.0..=180.0).contains(east)
            && west <= east;
        valid.then_some(BoundingBox {
            south: *south,
            west: *west,
            north: *north,
            east: *east,
        })
    }
}

impl LatLon {
    /// A point inside the subdistrict.
    pub fn in_area(lat: f64, lon: f64) -> Result<LatLon, Problem> {
        let p = LatLon { lat, lon };
        if !lat.is_finite() || !lon.is_finite() {
            Err(Problem::NotANumber)
        } else if AREA.contains(p) {
            Ok(p)
        } else {
            Err(Problem::OutsideArea)
        }
    }

    /// `lat,lon` as in the app's URLs.
    pub fn parse(text: &str) -> Option<LatLon> {
        let (lat, lon) = text.split_once(',')?;
        let p = LatLon {
            lat: lat.trim().parse().ok()?,
            lon: lon.trim().parse().ok()?,
        };
        (p.lat.is_finite() && p.lon.is_finite() && p.lat.abs() <= 90.0 && p.lon.abs() <= 180.0)
            .then_some(p)
    }

    pub fn to_param(self) -> String {
        format!("{:.5},{:.5}", self.lat, self.lon)
    }

    /// Great-circle distance in metres (haversine; plenty for a few kilometres).
    pub fn distance_m(self, other: LatLon) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (phi1, phi2) = (self.lat.to_radians(), other.lat.to_radians());
        let dphi = (other.lat - self.lat).to_radians();
        let dlambda = (other.lon - self.lon).to_radians();
        let a =
            (dphi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

/// "350 米" / "1.2 公里", or in English.
pub fn format_distance(metres: u32, zh: bool) -> String {
    match (metres < 1000, zh) {
        (true, true) => format!("{metres} 米"),
        (true, false) => format!("{metres} m"),
        (false, true) => format!("{:.1} 公里", metres as f64 / 1000.0),
        (false, false) => format!("{:.1} km", metres as f64 / 1000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_right_at_city_scale() {
        // One thousandth of a degree of latitude is about 111 m.
        let a = LatLon {
            lat: 31.240,
            lon: 121.440,
        };
        let b = LatLon {
            lat: 31.241,
            lon: 121.440,
        };
        assert!((a.distance_m(b) - 111.2).abs() < 0.5, "{}", a.distance_m(b));
        // Along a parallel the degree shrinks by cos(latitude): about 95 m here.
        let c = LatLon {
            lat: 31.240,
            lon: 121.441,
        };
        assert!((a.distance_m(c) - 95.1).abs() < 0.5, "{}", a.distance_m(c));
        assert_eq!(a.distance_m(a), 0.0);
    }

    #[test]
    fn only_points_in_the_subdistrict_are_accepted() {
        assert!(LatLon::in_area(31.2418, 121.4395).is_ok());
        assert_eq!(
            LatLon::in_area(31.2304, 121.4737),
            Err(Problem::OutsideArea),
            "People's Square"
        );
        assert_eq!(
            LatLon::in_area(121.44, 31.24),
            Err(Problem::OutsideArea),
            "swapped"
        );
        assert_eq!(LatLon::in_area(f64::NAN, 121.44), Err(Problem::NotANumber));
    }

    #[test]
    fn bounding_boxes_parse_in_geojson_order() {
        let b = BoundingBox::parse_geojson("121.43,31.23,121.45,31.25").unwrap();
        assert!(b.contains(LatLon {
            lat: 31.24,
            lon: 121.44
        }));
        assert!(!b.contains(LatLon {
            lat: 31.26,
            lon: 121.44
        }));
        for bad in [
            "",
            "1,2,3",
            "121.45,31.23,121.43,31.25",
            "a,b,c,d",
            "0,-91,1,1",
            "1,2,3,4,5",
        ] {
            assert_eq!(BoundingBox::parse_geojson(bad), None, "{bad}");
        }
    }

    #[test]
    fn url_points_parse_and_print() {
        let p = LatLon::parse("31.2418, 121.4395").unwrap();
        assert_eq!(p.to_param(), "31.24180,121.43950");
        assert_eq!(LatLon::parse("31.2"), None);
        assert_eq!(LatLon::parse("91,0"), None);
    }

    #[test]
    fn distances_read_naturally() {
        assert_eq!(format_distance(350, true), "350 米");
        assert_eq!(format_distance(1240, true), "1.2 公里");
        assert_eq!(format_distance(1240, false), "1.2 km");
    }
}

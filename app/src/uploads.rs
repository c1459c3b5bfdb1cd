//! File uploads, shared by every capability: reading a multipart form with limits, and
//! photos recognised by their content, re-encoded so that no metadata (EXIF GPS included)
//! survives, scaled down, with a thumbnail.

use crate::error::{AppError, Field, Problem};
use leptos::server_fn::codec::MultipartData;

/// Photos per form.
pub const MAX_FILES: usize = 3;
/// Bytes per photo, before processing.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// All text fields of a form together.
const MAX_TEXT_BYTES: usize = 64 * 1024;
/// The form field that carries photos.
pub const PHOTO_FIELD: &str = "photos";

/// A multipart form, read whole and checked against the limits.
#[derive(Debug, Default)]
pub struct UploadedForm {
    fields: Vec<(String, String)>,
    pub files: Vec<Vec<u8>>,
}

impl UploadedForm {
    /// The first value of text field `name`, or "".
    pub fn text(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of text field `name` (checkboxes, multiple selects).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A form built in code, for tests and for callers without a browser.
    pub fn new(fields: &[(&str, &str)], files: Vec<Vec<u8>>) -> UploadedForm {
        UploadedForm {
            fields: fields
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            files,
        }
    }
}

/// Reads a multipart form: text fields, and up to [`MAX_FILES`] files of at most
/// [`MAX_FILE_BYTES`] each in the `photos` field. A file over the limit is refused as
/// soon as it passes it, without reading the rest.
pub async fn read_form(data: MultipartData, file_field: Field) -> Result<UploadedForm, AppError> {
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| AppError::Request("not a multipart form".into()))?;
    let mut form = UploadedForm::default();
    let mut text_bytes = 0;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(AppError::Request(e.to_string())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == PHOTO_FIELD {
            let mut field = field;
            let mut bytes = Vec::new();
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| AppError::Request(e.to_string()))?
            {
                bytes.extend_from_slice(&chunk);
                if bytes.len() as u64 > MAX_FILE_BYTES {
                    return Err(AppError::TooLarge {
                        field: file_field,
                        max_bytes: MAX_FILE_BYTES,
                    });
                }
            }
            // A file input left empty still sends an empty part.
            if bytes.is_empty() {
                continue;
            }
            if form.files.len() == MAX_FILES {
                return Err(AppError::invalid(
                    file_field,
                    Problem::TooManyFiles { max: MAX_FILES },
                ));
            }
            form.files.push(bytes);
        } else {
            let value = field
                .text()
                .await
                .map_err(|e| AppError::Request(e.to_string()))?;
            text_bytes += value.len();
            if text_bytes > MAX_TEXT_BYTES {
                return Err(AppError::Request("form too large".into()));
            }
            form.fields.push((name, value));
        }
    }
    Ok(form)
}

/// Re-encodes every photo off the async threads; one bad photo refuses them all, named
/// by `field`.
pub async fn process_photos(files: Vec<Vec<u8>>, field: Field) -> Result<Vec<Photo>, AppError> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    tokio::task::spawn_blocking(move || {
        files
            .iter()
            .map(|bytes| process_photo(bytes))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| AppError::internal("photo task", e))?
    .map_err(|p| AppError::invalid(field, p))
}

/// A stored JPEG as an HTTP response. Photos never change once stored; `private` ones
/// (a request's) may be kept only by their viewers' browsers.
pub fn jpeg_response(name: &str, bytes: Vec<u8>, private: bool) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::header;
    let cache = if private {
        "private, max-age=31536000, immutable"
    } else {
        "public, max-age=31536000, immutable"
    };
    (
        [
            (header::CONTENT_TYPE, "image/jpeg".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}.jpg\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, cache.to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// Stores a photo anyone may see (a meal's, an activity's); returns its id, for
/// `/photos/{id}`.
pub async fn store_public_photo(
    db: &mut sqlx::PgConnection,
    photo: &Photo,
    uploaded_by: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO photos (jpeg, thumb, width, height, uploaded_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&photo.jpeg)
    .bind(&photo.thumb)
    .bind(photo.width as i32)
    .bind(photo.height as i32)
    .bind(uploaded_by)
    .fetch_one(db)
    .await?)
}

/// `GET /photos/{id}` and `/photos/{id}/thumb`: photos anyone may see (meals, activities).
pub mod public {
    use crate::state::AppState;
    use axum::extract::{Path, State};
    use axum::response::{IntoResponse, Response};
    use http::StatusCode;

    pub async fn full(state: State<AppState>, id: Path<i64>) -> Response {
        serve(state, id, false).await
    }

    pub async fn thumb(state: State<AppState>, id: Path<i64>) -> Response {
        serve(state, id, true).await
    }

    async fn serve(State(state): State<AppState>, Path(id): Path<i64>, thumb: bool) -> Response {
        let column = if thumb { "thumb" } else { "jpeg" };
        let found: Result<Option<Vec<u8>>, sqlx::Error> =
            sqlx::query_scalar(&format!("SELECT {column} FROM photos WHERE id = $1"))
                .bind(id)
                .fetch_optional(&state.pool)
                .await;
        match found {
            Ok(Some(bytes)) => super::jpeg_response(&format!("photo-{id}"), bytes, false),
            Ok(None) => StatusCode::NOT_FOUND.into_response(),
            Err(error) => {
                let error = crate::error::AppError::from(error);
                StatusCode::from_u16(error.status())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                    .into_response()
            }
        }
    }
}

/// A photo as it is stored: re-encoded JPEG and a thumbnail.
#[derive(Clone, Debug)]
pub struct Photo {
    pub jpeg: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The longest side of a stored photo, and of its thumbnail.
pub const MAX_SIDE: u32 = 1600;
pub const THUMB_SIDE: u32 = 320;
/// Decoding refuses larger images before allocating for them (a "PNG bomb" declares
/// 20,000 × 20,000 pixels in a few kilobytes).
const MAX_DECODED_SIDE: u32 = 10_000;
const MAX_DECODE_ALLOC: u64 = 400 * 1024 * 1024;

/// Recognises a JPEG, PNG or WebP by its content (never by name or declared type), decodes
/// it within limits, turns it upright, scales it to at most [`MAX_SIDE`] and re-encodes it
/// as JPEG with nothing but pixels. CPU-heavy: call it off the async threads.
pub fn process_photo(bytes: &[u8]) -> Result<Photo, Problem> {
    use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
    use std::io::Cursor;

    let format = image::guess_format(bytes).map_err(|_| Problem::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(Problem::NotAnImage);
    }
    // zune-jpeg fills a cut-off JPEG with grey instead of failing: a whole JPEG ends with
    // the End Of Image marker.
    if format == ImageFormat::Jpeg && !ends_with_jpeg_eoi(bytes) {
        return Err(Problem::ImageDamaged);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_problem)?;
    let orientation = decoder.orientation().map_err(decode_problem)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(decode_problem)?;
    image.apply_orientation(orientation);
    let image = if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
    } else {
        image
    };
    let thumb = image.thumbnail(THUMB_SIDE, THUMB_SIDE);
    Ok(Photo {
        width: image.width(),
        height: image.height(),
        jpeg: encode_jpeg(&image, 82)?,
        thumb: encode_jpeg(&thumb, 75)?,
    })
}

fn decode_problem(error: image::ImageError) -> Problem {
    match error {
        image::ImageError::Limits(_) => Problem::ImageTooLarge,
        _ => Problem::ImageDamaged,
    }
}

fn encode_jpeg(image: &image::DynamicImage, quality: u8) -> Result<Vec<u8>, Problem> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&image.to_rgb8())
        .map_err(|_| Problem::ImageDamaged)?;
    Ok(out)
}

/// Whether the JPEG ends with its End Of Image marker (allowing trailing padding).
fn ends_with_jpeg_eoi(bytes: &[u8]) -> bool {
    let end = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    bytes[..end].ends_with(&[0xFF, 0xD9])
}

/// Images that exercise the photo rules, for this module's tests and the integration tests.
pub mod samples {
    use image::{ImageFormat, RgbImage};
    use std::io::Cursor;

    /// A `width` × `height` picture in `format`.
    pub fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format)
            .expect("encoding to memory cannot fail");
        out.into_inner()
    }

    /// A JPEG with an EXIF segment carrying a GPS position, as phones write it.
    pub fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
        let jpeg = encoded(width, height, ImageFormat::Jpeg);
        let mut exif = b"Exif\0\0MM\0*\0\0\0\x08".to_vec();
        exif.extend_from_slice(b"GPSLatitude 31.2418 GPSLongitude 121.4395");
        let mut out = jpeg[..2].to_vec(); // SOI
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&exif);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    /// A PNG header declaring 20,000 × 20,000 pixels: a few bytes that would decode to 1.2 GB.
    pub fn png_bomb() -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        png
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}

#[cfg(test)]
mod tests {
    use super::samples::{encoded, jpeg_with_gps, png_bomb};
    use super::*;
    use image::ImageFormat;

    #[test]
    fn photos_are_recognised_by_content_and_lose_their_metadata() {
        let original = jpeg_with_gps(64, 48);
        assert!(original.windows(11).any(|w| w == b"GPSLatitude"));
        let photo = process_photo(&original).unwrap();
        assert!(!photo.jpeg.windows(11).any(|w| w == b"GPSLatitude"));
        assert!(!photo.jpeg.windows(4).any(|w| w == b"Exif"));
        assert_eq!((photo.width, photo.height), (64, 48));
        for format in [ImageFormat::Png, ImageFormat::WebP] {
            let photo = process_photo(&encoded(40, 30, format)).unwrap();
            assert_eq!(image::guess_format(&photo.jpeg).unwrap(), ImageFormat::Jpeg);
        }
    }

    #[test]
    fn large_photos_are_scaled_down_with_a_thumbnail() {
        let photo = process_photo(&encoded(3200, 1000, ImageFormat::Png)).unwrap();
        assert_eq!((photo.width, photo.height), (1600, 500));
        let thumb = image::load_from_memory(&photo.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (320, 100));
    }

    #[test]
    fn anything_else_is_refused_by_name() {
        assert_eq!(
            process_photo(b"%PDF-1.7\n1 0 obj").unwrap_err(),
            Problem::NotAnImage
        );
        assert_eq!(
            process_photo(b"MZ\x90\0\x03\0\0\0").unwrap_err(),
            Problem::NotAnImage
        );
        assert_eq!(
            process_photo(b"GIF89a....").unwrap_err(),
            Problem::NotAnImage
        );
        let jpeg = encoded(200, 200, ImageFormat::Jpeg);
        assert_eq!(
            process_photo(&jpeg[..jpeg.len() / 2]).unwrap_err(),
            Problem::ImageDamaged
        );
        let png = encoded(200, 200, ImageFormat::Png);
        assert_eq!(
            process_photo(&png[..png.len() / 2]).unwrap_err(),
            Problem::ImageDamaged
        );
    }

    #[test]
    fn a_png_bomb_is_refused_before_it_is_decoded() {
        assert_eq!(
            process_photo(&png_bomb()).unwrap_err(),
            Problem::ImageTooLarge
        );
    }
}

//! Charts, built once for every capability (survey results, the numbers): drawn on the
//! server as SVG with plotters, so they need no script, print well and weigh little. A chart
//! is a picture of a table that the page shows beside it, so the SVG is hidden from screen
//! readers, which read the table instead.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The app's bar colour (Tailwind's emerald-600).
const BAR: RGBColor = RGBColor(5, 150, 105);

/// A horizontal bar chart: one bar per label, its value written at its end.
pub fn bars(labels: &[String], values: &[i64]) -> String {
    let rows = labels.len().max(1);
    // Drawn small and scaled up to the page's width, so that the text stays readable on a
    // phone.
    let (width, height) = (360u32, 16 + 30 * rows as u32);
    let longest = labels
        .iter()
        .map(|l| {
            l.chars()
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(4);
    // About 7 px per narrow character at 14 px, 14 px per wide (Chinese) one.
    let label_area = (longest as u32 * 7 + 12).clamp(40, 160);
    let top = values.iter().copied().max().unwrap_or(0).max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        // Drawing into a string cannot fail for lack of space; an error here is a bug in
        // the numbers passed, and the chart is left empty rather than failing the page.
        let _ = draw(&root, labels, values, top, label_area);
        let _ = root.present();
    }
    svg.replacen(
        "<svg ",
        "<svg aria-hidden=\"true\" focusable=\"false\" class=\"w-full h-auto\" ",
        1,
    )
}

/// Line colours of `lines`, told apart by their markers too: emerald circles, sky
/// triangles, amber crosses.
const LINES: [RGBColor; 3] = [BAR, RGBColor(2, 132, 199), RGBColor(217, 119, 6)];

/// A line chart of percentages (0–100) over `labels` (months), one line per series, with a
/// legend. A missing value leaves a gap.
pub fn lines(labels: &[String], series: &[(String, Vec<Option<f64>>)]) -> String {
    let (width, height) = (360u32, 260u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        // As in `bars`: a failure leaves the chart empty rather than failing the page.
        let _ = draw_lines(&root, labels, series);
        let _ = root.present();
    }
    svg.replacen(
        "<svg ",
        "<svg aria-hidden=\"true\" focusable=\"false\" class=\"w-full h-auto\" ",
        1,
    )
}

fn draw_lines<'a>(
    root: &'a DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    labels: &'a [String],
    series: &[(String, Vec<Option<f64>>)],
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    root.fill(&WHITE)?;
    let n = labels.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .margin_right(14)
        .x_label_area_size(24)
        .y_label_area_size(34)
        .build_cartesian_2d(0usize..n - 1, 0f64..100f64)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n.min(6))
        .x_label_style(("sans-serif", 13))
        .y_label_style(("sans-serif", 13))
        .x_label_formatter(&|i| {
            // "2026-11" → "11月": short enough for twelve on a phone.
            labels
                .get(*i)
                .and_then(|l| l.get(5..7))
                .map(|m| format!("{}月", m.trim_start_matches('0')))
                .unwrap_or_default()
        })
        .y_label_formatter(&|v| format!("{v:.0}%"))
        .y_labels(5)
        .light_line_style(RGBColor(229, 231, 235))
        .draw()?;
    for (index, (name, values)) in series.iter().enumerate() {
        let colour = LINES[index % LINES.len()];
        let points: Vec<(usize, f64)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .collect();
        let style = colour.stroke_width(2);
        let drawn = chart.draw_series(LineSeries::new(points.clone(), style))?;
        drawn
            .label(name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], style));
        match index % 3 {
            0 => {
                chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, colour.filled())))?;
            }
            1 => {
                chart.draw_series(
                    points
                        .iter()
                        .map(|p| TriangleMarker::new(*p, 4, colour.filled())),
                )?;
            }
            _ => {
                chart.draw_series(
                    points
                        .iter()
                        .map(|p| Cross::new(*p, 4, colour.stroke_width(2))),
                )?;
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .label_font(("sans-serif", 13))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(209, 213, 219))
        .draw()?;
    Ok(())
}

fn draw<'a>(
    root: &'a DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    labels: &'a [String],
    values: &[i64],
    top: i64,
    label_area: u32,
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    root.fill(&WHITE)?;
    let n = labels.len().max(1) as i64;
    // The y axis counts upwards; the first label belongs at the top. (The axis has one tick
    // past the last row, which gets no label.)
    let row = |i: i64| (0..n).contains(&i).then(|| (n - 1 - i) as usize);
    let mut chart = ChartBuilder::on(root)
        .margin(6)
        .margin_right(30)
        .y_label_area_size(label_area)
        .x_label_area_size(0)
        .build_cartesian_2d(0i64..top, (0i64..n).into_segmented())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_y_mesh()
        .disable_x_axis()
        .y_labels(labels.len())
        .y_label_style(("sans-serif", 17))
        .y_label_formatter(&|segment| match segment {
            SegmentValue::CenterOf(i) => row(*i)
                .and_then(|r| labels.get(r))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .draw()?;
    chart.draw_series(
        Histogram::horizontal(&chart)
            .style(BAR.filled())
            .margin(6)
            .data(
                values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (n - 1 - i as i64, *v)),
            ),
    )?;
    let value_style = ("sans-serif", 17)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    chart.draw_series(values.iter().enumerate().map(|(i, v)| {
        let at = (*v, SegmentValue::CenterOf(n - 1 - i as i64));
        EmptyElement::at(at) + Text::new(v.to_string(), (4, 0), value_style.clone())
    }))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_chart_has_a_bar_and_a_label_per_row() {
        let svg = bars(
            &["米饭".to_owned(), "面条".to_owned(), "沙拉".to_owned()],
            &[5, 3, 0],
        );
        assert!(svg.starts_with("<svg aria-hidden=\"true\""));
        for label in ["米饭", "面条", "沙拉"] {
            assert!(svg.contains(label), "{label} missing");
        }
        // A bar per row in the bar colour, the longest for the largest value.
        assert_eq!(svg.matches("fill=\"#059669\"").count(), 3, "{svg}");
        let widths: Vec<u32> = svg
            .match_indices("fill=\"#059669\"")
            .map(|(at, _)| {
                let rect = &svg[svg[..at].rfind("<rect").unwrap()..at];
                let width = rect.split("width=\"").nth(1).unwrap();
                width[..width.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert!(
            widths.contains(&0) && widths.iter().max() > widths.iter().filter(|w| **w > 0).min()
        );
        // The first option is drawn at the top.
        assert!(svg.find("米饭").unwrap() > 0);
        let y_of = |label: &str| {
            let at = svg.find(label).unwrap();
            let text = &svg[svg[..at].rfind("<text").unwrap()..at];
            let y = text.split("y=\"").nth(1).unwrap();
            y[..y.find('"').unwrap()].parse::<i32>().unwrap()
        };
        assert!(
            y_of("米饭") < y_of("面条") && y_of("面条") < y_of("沙拉"),
            "{svg}"
        );
    }

    #[test]
    fn a_line_chart_has_a_line_and_a_legend_entry_per_series() {
        let months: Vec<String> = (1..=12).map(|m| format!("2026-{m:02}")).collect();
        let rising: Vec<Option<f64>> = (1..=12).map(|m| Some(50.0 + m as f64 * 4.0)).collect();
        let mut gap = vec![Some(90.0); 12];
        gap[3] = None;
        let svg = lines(
            &months,
            &[("响应率".to_owned(), rising), ("满意率".to_owned(), gap)],
        );
        assert!(svg.starts_with("<svg aria-hidden=\"true\""));
        assert!(svg.contains("响应率") && svg.contains("满意率"));
        assert!(svg.contains("11月") || svg.contains("12月"), "{svg}");
        // Two lines in their colours (the legend draws a short one each too).
        assert!(svg.matches("<polyline").count() >= 2, "{svg}");
        assert!(svg.contains("#059669") && svg.contains("#0284C7"), "{svg}");
    }

    #[test]
    fn no_answers_still_draw_an_empty_chart() {
        let svg = bars(&["A".to_owned()], &[0]);
        assert!(svg.contains("</svg>"));
    }
}

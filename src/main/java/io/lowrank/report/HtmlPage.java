package io.lowrank.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page built in order: headings, key-value tables, tables, inline PNG images (base64
 * {@code data:} URLs), preformatted text and colour-scaled heat maps, with its style inline. Nothing it renders
 * refers to another file or host, so a report.html can be mailed, archived or opened from any file system. The
 * page marks itself once loaded: {@code <body data-images="N" data-broken-images="K">}, K counting the images the
 * browser could not decode (what a headless-browser test reads back).
 */
public final class HtmlPage {
  private static final String STYLE = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px auto;\
      max-width:1200px;padding:0 16px;color:#1b1b1b;background:#fff}
      h1{font-size:1.5em;margin-bottom:4px}h2{font-size:1.2em;margin-top:28px;border-bottom:1px solid #ddd;\
      padding-bottom:3px}h3{font-size:1.02em;margin:18px 0 6px}
      table{border-collapse:collapse;font-size:.88em;margin:6px 0}
      th,td{border:1px solid #d4d4d4;padding:3px 8px;text-align:left;vertical-align:top}
      th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
      table.heat td{text-align:center;min-width:54px;font-variant-numeric:tabular-nums}
      img{max-width:100%;height:auto;border:1px solid #e4e4e4;margin:6px 0}
      pre{background:#f7f7f7;border:1px solid #e4e4e4;padding:8px;overflow:auto;max-height:480px;font-size:.82em}
      p.note{color:#555;font-size:.9em}.warn{background:#fff4e5;border-left:4px solid #E69F00;padding:6px 10px}
      .scroll{max-height:460px;overflow:auto;display:inline-block}
      """;

  // Counts the images and those that failed to decode, once everything has loaded.
  private static final String MARK_IMAGES = "window.addEventListener('load',function(){var i=document.images,b=0;"
      + "for(var k=0;k<i.length;k++){if(!i[k].complete||i[k].naturalWidth===0){b++;}}"
      + "document.body.setAttribute('data-images',String(i.length));"
      + "document.body.setAttribute('data-broken-images',String(b));});";

  private final String title;
  private final StringBuilder body = new StringBuilder();

  /** A page titled {@code title} (also its first heading). */
  public HtmlPage(String title) {
    this.title = title;
    body.append("<h1>").append(escape(title)).append("</h1>\n");
  }

  /** A section heading (level 2) or sub-heading (level 3). */
  public HtmlPage heading(int level, String text) {
    int h = Math.max(2, Math.min(3, level));
    body.append("<h").append(h).append('>').append(escape(text)).append("</h").append(h).append(">\n");
    return this;
  }

  /** A paragraph of plain text. */
  public HtmlPage paragraph(String text) {
    body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A highlighted warning. */
  public HtmlPage warning(String text) {
    body.append("<p class=\"warn\">").append(escape(text)).append("</p>\n");
    return this;
  }

  /**
   * A two-column table of {@code fields}; nested maps are flattened to dotted keys (phases.load.seconds), lists
   * joined, numbers printed to 6 significant digits.
   */
  public HtmlPage keyValues(Map<String, ?> fields) {
    body.append("<table>\n");
    keyRows("", fields);
    body.append("</table>\n");
    return this;
  }

  private void keyRows(String prefix, Map<String, ?> fields) {
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, ?> nested = (Map<String, ?>) m;
        keyRows(prefix + e.getKey() + ".", nested);
      } else {
        body.append("<tr><th>").append(escape(prefix + e.getKey())).append("</th>").append(cell(e.getValue()))
            .append("</tr>\n");
      }
    }
  }

  /** A table; long tables scroll inside a box. Cells may be numbers (right-aligned), text or null (empty). */
  public HtmlPage table(List<String> header, List<? extends List<?>> rows) {
    body.append(rows.size() > 20 ? "<div class=\"scroll\">" : "<div>").append("<table>\n<tr>");
    for (String h : header) {
      body.append("<th>").append(escape(h)).append("</th>");
    }
    body.append("</tr>\n");
    for (List<?> row : rows) {
      body.append("<tr>");
      for (Object v : row) {
        body.append(cell(v));
      }
      body.append("</tr>\n");
    }
    body.append("</table></div>\n");
    return this;
  }

  /** A PNG image inline, as a base64 {@code data:} URL. */
  public HtmlPage image(String alt, byte[] png) {
    body.append("<div><img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\"></div>\n");
    return this;
  }

  /** Preformatted text (a config file, a spec). */
  public HtmlPage pre(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  /**
   * A heat map of values in [0, 1] (e.g. success rates): rows {@code yLabels} (top to bottom), columns
   * {@code xLabels}, cell colour from white (0) to blue (1), the value and its count printed in each cell. A null
   * value is an empty grey cell (no trials there).
   *
   * @param values values[row][column], or null where there is none
   * @param counts counts[row][column] shown beside the value (e.g. trials), or null for none
   */
  public HtmlPage heatMap(String xKey, List<String> xLabels, String yKey, List<String> yLabels, Double[][] values,
      int[][] counts) {
    return heatMap(xKey, xLabels, yKey, yLabels, values, counts, null);
  }

  /**
   * As {@link #heatMap(String, List, String, List, Double[][], int[][])}, with a note printed under the value of each
   * cell (e.g. "strict-saddle 3/3, -0.12").
   *
   * @param notes notes[row][column], null (the array or an entry) for none
   */
  public HtmlPage heatMap(String xKey, List<String> xLabels, String yKey, List<String> yLabels, Double[][] values,
      int[][] counts, String[][] notes) {
    body.append("<table class=\"heat\">\n<tr><th>").append(escape(yKey)).append(" \\ ").append(escape(xKey))
        .append("</th>");
    for (String x : xLabels) {
      body.append("<th>").append(escape(x)).append("</th>");
    }
    body.append("</tr>\n");
    for (int r = 0; r < yLabels.size(); r++) {
      body.append("<tr><th>").append(escape(yLabels.get(r))).append("</th>");
      for (int c = 0; c < xLabels.size(); c++) {
        Double v = values[r][c];
        if (v == null || !Double.isFinite(v)) {
          body.append("<td style=\"background:#eee\"></td>");
          continue;
        }
        double t = Math.max(0, Math.min(1, v));
        // White to the palette's blue (0, 114, 178); dark cells get white text.
        int red = (int) Math.round(255 + t * (0 - 255));
        int green = (int) Math.round(255 + t * (114 - 255));
        int blue = (int) Math.round(255 + t * (178 - 255));
        body.append(String.format(Locale.ROOT, "<td style=\"background:rgb(%d,%d,%d);color:%s\" title=\"%s\">%.2f",
            red, green, blue, t > 0.55 ? "#fff" : "#111", escape(yKey + " = " + yLabels.get(r) + ", " + xKey + " = "
                + xLabels.get(c)), v));
        if (notes != null && notes[r][c] != null) {
          body.append("<br><small>").append(escape(notes[r][c])).append("</small>");
        }
        if (counts != null) {
          body.append("<br><small>n = ").append(counts[r][c]).append("</small>");
        }
        body.append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** The page as HTML text. */
  public String render() {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
        + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n" + body + "<script>" + MARK_IMAGES
        + "</script>\n</body>\n</html>\n";
  }

  private static String cell(Object v) {
    if (v instanceof Number n) {
      return "<td class=\"num\">" + escape(number(n)) + "</td>";
    }
    if (v instanceof List<?> list) {
      StringBuilder sb = new StringBuilder();
      for (Object o : list) {
        sb.append(sb.length() == 0 ? "" : "; ").append(o instanceof Number n ? number(n) : String.valueOf(o));
      }
      return "<td>" + escape(sb.toString()) + "</td>";
    }
    return "<td>" + (v == null ? "" : escape(String.valueOf(v))) + "</td>";
  }

  /** A number for a table: integers as they are, others to 6 significant digits; non-finite as empty. */
  static String number(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return n.toString();
    }
    double x = n.doubleValue();
    if (!Double.isFinite(x)) {
      return "";
    }
    double a = Math.abs(x);
    if (a != 0 && (a < 1e-4 || a >= 1e9)) {
      return String.format(Locale.ROOT, "%.5e", x);
    }
    return new BigDecimal(x).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /** Text safe inside HTML elements and attribute values. */
  public static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}

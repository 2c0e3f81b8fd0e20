package io.lowrank.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.knowm.xchart.style.markers.Marker;

/**
 * The one palette of every plot: the Okabe–Ito colours (distinct under the common colour-vision deficiencies), the
 * line widths and the markers. Simulated or measured values are markers, predictions are lines, reference values
 * (thresholds, limits) are dashed black lines.
 */
public final class Palette {
  /** Okabe–Ito blue. */
  public static final Color BLUE = new Color(0x00, 0x72, 0xB2);
  /** Okabe–Ito vermillion. */
  public static final Color VERMILLION = new Color(0xD5, 0x5E, 0x00);
  /** Okabe–Ito bluish green. */
  public static final Color BLUISH_GREEN = new Color(0x00, 0x9E, 0x73);
  /** Okabe–Ito reddish purple. */
  public static final Color REDDISH_PURPLE = new Color(0xCC, 0x79, 0xA7);
  /** Okabe–Ito orange. */
  public static final Color ORANGE = new Color(0xE6, 0x9F, 0x00);
  /** Okabe–Ito sky blue. */
  public static final Color SKY_BLUE = new Color(0x56, 0xB4, 0xE9);
  /** Okabe–Ito black: reference lines. */
  public static final Color BLACK = Color.BLACK;
  /** Grid lines: light enough that many decades of a log axis do not turn the plot grey. */
  public static final Color GRID = new Color(0xE4, 0xE4, 0xE4);

  // Okabe-Ito's yellow is left out: it cannot be told from white (or from orange) as a thin line.
  private static final List<Color> SERIES = List.of(BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE, ORANGE, SKY_BLUE);

  /** Width of a data line, px. */
  public static final float LINE_WIDTH = 1.8f;
  /** Width of a predicted (theory) line, px: drawn over the markers of the simulation it predicts. */
  public static final float THEORY_WIDTH = 2.4f;
  /** Diameter of a marker, px. */
  public static final int MARKER_SIZE = 7;

  private Palette() {}

  /** The colour of the {@code i}-th series (cycling through six colours). */
  public static Color series(int i) {
    return SERIES.get(Math.floorMod(i, SERIES.size()));
  }

  /** The number of distinct series colours. */
  public static int size() {
    return SERIES.size();
  }

  /** A solid stroke of {@code width} px. */
  public static BasicStroke solid(float width) {
    return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  }

  /** The dashed stroke of reference lines. */
  public static BasicStroke dashed() {
    return new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  }

  /** An open circle: the simulation's markers, so that a prediction's line through them stays visible. */
  public static final Marker HOLLOW_CIRCLE = new HollowCircle();

  /** An open square: a second kind of simulated value on the same axes. */
  public static final Marker HOLLOW_SQUARE = new HollowSquare();

  private static final class HollowSquare extends Marker {
    private static final BasicStroke RING = new BasicStroke(1.4f);

    @Override
    public void paint(Graphics2D g, double x, double y, int size) {
      g.setStroke(RING);
      double r = size / 2.0;
      g.draw(new Rectangle2D.Double(x - r, y - r, size, size));
    }
  }

  private static final class HollowCircle extends Marker {
    private static final BasicStroke RING = new BasicStroke(1.4f);

    @Override
    public void paint(Graphics2D g, double x, double y, int size) {
      g.setStroke(RING);
      double r = size / 2.0;
      g.draw(new Ellipse2D.Double(x - r, y - r, size, size));
    }
  }
}

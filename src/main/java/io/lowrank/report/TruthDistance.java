package io.lowrank.report;

/**
 * What the {@code distance_to_truth} column of a family's trace measures, so that a plot names it exactly instead of
 * calling every family's error "distance to truth".
 */
public enum TruthDistance {
  /** Phase retrieval: dist(x, x*) = min(‖x − x*‖, ‖x + x*‖) / ‖x*‖ (x* is known up to its sign). */
  PHASE_RETRIEVAL("dist(x, x*) / ‖x*‖", "dist(x, x*) / ||x*||", ""),
  /** Matrix sensing: the relative error of the low-rank matrix, ‖XXᵀ − M*‖_F / ‖M*‖_F. */
  SENSING("‖XXᵀ − M*‖_F / ‖M*‖_F", "||XX^T - M*||_F / ||M*||_F", "relative error"),
  /** The escape from spurious minima: the absolute error ‖XXᵀ − M*‖_F (its success threshold is absolute, 1e-3). */
  ESCAPE("‖XXᵀ − M*‖_F", "||XX^T - M*||_F", ""),
  /** A family whose trace has no distance to a truth (rank-one denoising reports overlaps instead). */
  NONE("", "", "");

  private final String unicode;
  private final String ascii;
  private final String words;

  TruthDistance(String unicode, String ascii, String words) {
    this.unicode = unicode;
    this.ascii = ascii;
    this.words = words;
  }

  /** The quantity as a formula, for an axis title (ASCII when the plots' font lacks the symbols). */
  public String formula() {
    return Charts.text(unicode, ascii);
  }

  /** The axis title: the formula, after its name where it has one ("relative error ‖XXᵀ − M*‖_F / ‖M*‖_F"). */
  public String axisTitle() {
    return words.isEmpty() ? formula() : words + "  " + formula();
  }
}

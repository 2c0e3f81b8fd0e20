package io.lowrank.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A results table as a report reads it: named columns and rows of text cells, one row per (cell, trial) of a sweep,
 * e.g. the merged {@code results.csv} of {@code lowrank sweep}. Cells stay text (a grid value "1e-3" keeps its
 * spelling in the report); numbers are parsed where a statistic needs them.
 *
 * @param columns the header
 * @param rows the rows, each as long as the header
 */
public record HtmlResultsTable(List<String> columns, List<List<String>> rows) {
  public HtmlResultsTable {
    columns = List.copyOf(columns);
    List<List<String>> copy = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      List<String> row = rows.get(i);
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException("results row " + (i + 1) + " has " + row.size() + " cells, the header "
            + columns.size());
      }
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copy);
  }

  /**
   * Parses CSV text with a header row (RFC 4180: fields may be quoted, a quote inside doubled; empty lines are
   * skipped).
   */
  public static HtmlResultsTable fromCsv(String csv) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < csv.length(); i++) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        any = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        any = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
          i++;
        }
        if (any || field.length() > 0) {
          record.add(field.toString());
          records.add(record);
        }
        record = new ArrayList<>();
        field.setLength(0);
        any = false;
      } else {
        field.append(c);
      }
    }
    if (any || field.length() > 0) {
      record.add(field.toString());
      records.add(record);
    }
    if (records.isEmpty()) {
      throw new IllegalArgumentException("the results table is empty (no header row)");
    }
    return new HtmlResultsTable(records.get(0), records.subList(1, records.size()));
  }

  /** The index of {@code column}, or -1 when the table has none. */
  public int indexOf(String column) {
    return columns.indexOf(column);
  }

  /** Whether the table has {@code column}. */
  public boolean has(String column) {
    return indexOf(column) >= 0;
  }
}

package io.lowrank.experiment.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A derived key's arithmetic, e.g. {@code n = "round(ratio * d)"}: numbers, the names of other keys of the cell
 * (grid, fixed, derived or the family's settings), + - * / ^, parentheses and round, floor, ceil, sqrt, log, exp,
 * min, max. A name may contain letters, digits, '_', '.' and '-' between letters ({@code max-iter}); write
 * {@code a - b} with spaces for a difference.
 */
final class Derived {
  private final String key;
  private final String text;
  private int pos;
  private Function<String, Double> lookup;

  private Derived(String key, String text) {
    this.key = key;
    this.text = text;
  }

  /** The names {@code expression} refers to (checked for syntax). */
  static List<String> names(String key, String expression) {
    List<String> names = new ArrayList<>();
    Derived d = new Derived(key, expression);
    d.lookup = n -> {
      names.add(n);
      return 1.0;
    };
    d.parse();
    return names;
  }

  /** The value of {@code expression} with the names' values from {@code values} (a missing one is an error). */
  static double eval(String key, String expression, Map<String, Double> values) {
    Derived d = new Derived(key, expression);
    d.lookup = n -> {
      Double v = values.get(n);
      if (v == null) {
        throw d.error("'" + n + "' has no numeric value in this cell");
      }
      return v;
    };
    return d.parse();
  }

  private double parse() {
    pos = 0;
    double v = sum();
    skip();
    if (pos < text.length()) {
      throw error("unexpected '" + text.charAt(pos) + "' at position " + (pos + 1));
    }
    return v;
  }

  private double sum() {
    double v = product();
    while (true) {
      skip();
      if (eat('+')) {
        v += product();
      } else if (eat('-')) {
        v -= product();
      } else {
        return v;
      }
    }
  }

  private double product() {
    double v = power();
    while (true) {
      skip();
      if (eat('*')) {
        v *= power();
      } else if (eat('/')) {
        v /= power();
      } else {
        return v;
      }
    }
  }

  private double power() {
    double base = unary();
    skip();
    return eat('^') ? Math.pow(base, power()) : base;
  }

  private double unary() {
    skip();
    if (eat('-')) {
      return -unary();
    }
    if (eat('(')) {
      double v = sum();
      expect(')');
      return v;
    }
    if (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
      int start = pos;
      while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.'
          || text.charAt(pos) == 'e' || text.charAt(pos) == 'E'
          || ((text.charAt(pos) == '-' || text.charAt(pos) == '+') && (text.charAt(pos - 1) == 'e'
              || text.charAt(pos - 1) == 'E')))) {
        pos++;
      }
      try {
        return Double.parseDouble(text.substring(start, pos));
      } catch (NumberFormatException e) {
        throw error("'" + text.substring(start, pos) + "' is not a number");
      }
    }
    if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
      int start = pos;
      while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
          || text.charAt(pos) == '.' || (text.charAt(pos) == '-' && pos + 1 < text.length()
              && Character.isLetter(text.charAt(pos + 1)) && Character.isLetter(text.charAt(pos - 1))))) {
        pos++;
      }
      String name = text.substring(start, pos);
      skip();
      if (eat('(')) {
        List<Double> args = new ArrayList<>();
        args.add(sum());
        skip();
        while (eat(',')) {
          args.add(sum());
          skip();
        }
        expect(')');
        return call(name, args);
      }
      return lookup.apply(name);
    }
    throw error(pos < text.length() ? "unexpected '" + text.charAt(pos) + "' at position " + (pos + 1)
        : "the expression ends too early");
  }

  private double call(String f, List<Double> a) {
    int arity = f.equals("min") || f.equals("max") ? 2 : 1;
    if (a.size() != arity) {
      throw error(f + "() takes " + arity + " argument" + (arity == 1 ? "" : "s") + ", got " + a.size());
    }
    return switch (f) {
      case "round" -> Math.round(a.get(0));
      case "floor" -> Math.floor(a.get(0));
      case "ceil" -> Math.ceil(a.get(0));
      case "sqrt" -> Math.sqrt(a.get(0));
      case "log" -> Math.log(a.get(0));
      case "exp" -> Math.exp(a.get(0));
      case "min" -> Math.min(a.get(0), a.get(1));
      case "max" -> Math.max(a.get(0), a.get(1));
      default -> throw error("unknown function " + f + "() (known: round, floor, ceil, sqrt, log, exp, min, max)");
    };
  }

  private void skip() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean eat(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    skip();
    if (!eat(c)) {
      throw error("expected '" + c + "' at position " + (pos + 1));
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("derived." + key + " = \"" + text + "\": " + what);
  }
}

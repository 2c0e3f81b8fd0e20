package io.lowrank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No mutable static state in the application's classes: on a cluster each executor JVM has its own statics, so
 * state kept there would differ between executors, survive between tasks and be lost with an executor. Static
 * fields must be final and hold immutable values (no arrays, mutable collections, atomics, thread locals).
 */
class NoMutableStaticsTest {
  private static final Path CLASSES = Paths.get("target/classes");

  @Test
  void applicationClassesHaveNoMutableStatics() throws Exception {
    List<String> offenders = new ArrayList<>();
    int classes = 0;
    try (Stream<Path> files = Files.walk(CLASSES.resolve("io/lowrank"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String name = CLASSES.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> c = Class.forName(name, true, getClass().getClassLoader());
        classes++;
        for (Field field : c.getDeclaredFields()) {
          int m = field.getModifiers();
          if (!Modifier.isStatic(m) || field.isSynthetic() || field.isEnumConstant()) {
            continue;
          }
          String where = name + "." + field.getName();
          if (!Modifier.isFinal(m)) {
            offenders.add(where + " is not final");
            continue;
          }
          field.setAccessible(true);
          Object value = field.get(null);
          String problem = mutability(value);
          if (problem != null) {
            offenders.add(where + " holds " + problem);
          }
        }
      }
    }
    assertTrue(classes > 20, "scanned only " + classes + " classes");
    assertEquals(List.of(), offenders);
  }

  /** Why {@code value} is mutable shared state, or {@code null}. */
  private static String mutability(Object value) {
    if (value == null) {
      return null;
    }
    Class<?> type = value.getClass();
    if (type.isArray()) {
      return java.lang.reflect.Array.getLength(value) == 0 ? null : "a non-empty array";
    }
    if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
      return type.getName().startsWith("java.util.ImmutableCollections")
          || type.getName().startsWith("java.util.Collections$Unmodifiable")
          || type.getName().startsWith("java.util.Collections$Empty")
          || type.getName().startsWith("java.util.Collections$Singleton")
          ? null : "a mutable " + type.getName();
    }
    String n = type.getName();
    if (n.startsWith("java.util.concurrent.atomic.") || value instanceof ThreadLocal<?>
        || n.equals("java.lang.StringBuilder") || n.equals("java.util.Random")) {
      return "a mutable " + n;
    }
    return null;
  }
}

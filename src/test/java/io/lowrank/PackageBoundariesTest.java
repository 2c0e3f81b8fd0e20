package io.lowrank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lowrank.linalg.Linalg;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rooms of docs/design.md as a build check: the Spark-free core ({@code linalg}, {@code data}, {@code model},
 * {@code solve}, {@code theory}, subpackages included) uses neither Spark, Scala nor Hadoop nor a room above it,
 * and {@code engine} has no upward arrow (to {@code solve}, {@code baseline}, {@code run}, {@code ml},
 * {@code experiment}, {@code report}, {@code job}).
 *
 * <p>It reads the compiled classes under {@code target/classes}, not the sources: a fully-qualified use, a type that
 * only shows up in a method descriptor, a generic signature or an annotation, and a class named in a string for
 * reflection are all in the class file's constant pool, while an import is not even in the class file. The
 * constant pool is parsed here (java.lang.classfile needs Java 22+; no bytecode library on the test classpath).
 * The core's import lines are checked as well, since an unused import compiles to nothing.
 */
class PackageBoundariesTest {
  private static final String ROOT = "io.lowrank.";

  /** For each room of the Spark-free core, the rooms of ours it may use (its own included), from docs/design.md. */
  private static final Map<String, Set<String>> CORE_MAY_USE = Map.of(
      "linalg", Set.of("linalg"),
      "data", Set.of("linalg", "data"),
      "model", Set.of("linalg", "data", "model"),
      "solve", Set.of("linalg", "data", "model", "engine", "solve"),
      "theory", Set.of("linalg", "theory"));

  /** Packages outside ours that the core must not use: the core runs without a cluster. */
  private static final List<String> FORBIDDEN_IN_CORE = List.of("org.apache.spark.", "org.apache.hadoop.", "scala.");

  /** The engine serves the solvers and knows none of them, nor anything built on them. */
  private static final Set<String> ABOVE_ENGINE =
      Set.of("solve", "baseline", "run", "ml", "experiment", "report", "job");

  /** A class type inside a descriptor or signature: {@code Lpkg/Name;} or {@code Lpkg/Name<...>;}. */
  private static final Pattern DESCRIPTOR_TYPE = Pattern.compile("L([A-Za-z_$][\\w$]*(?:/[\\w$]+)+)[;<.]");
  /** A string constant that is a class name of a forbidden package (Class.forName and the like). */
  private static final Pattern NAMED_CLASS =
      Pattern.compile("(?:org\\.apache\\.(?:spark|hadoop)|scala)(?:\\.[A-Za-z_$][\\w$]*)+");

  /** An import line (static or not, single type or on demand); group 1 is the imported name. */
  private static final Pattern IMPORT = Pattern.compile("\\s*import\\s+(?:static\\s+)?([\\w$.*]+)\\s*;.*");

  /** The compiled main classes (target/classes). */
  private static Path classes;
  /** Class name (dotted) to the class names (dotted) its constant pool refers to. */
  private static Map<String, Set<String>> references;

  @BeforeAll
  static void readClasses() throws IOException, URISyntaxException {
    // The directory Linalg was loaded from is target/classes (Surefire puts it on the class path as a directory).
    classes = Paths.get(Linalg.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(Files.isDirectory(classes.resolve("io/lowrank")), "no compiled classes in " + classes);
    references = new TreeMap<>();
    try (Stream<Path> files = Files.walk(classes.resolve("io/lowrank"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String name = classes.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".")
            .replaceAll("\\.class$", "");
        references.put(name, referencedClasses(Files.readAllBytes(f), name));
      }
    }
  }

  @Test
  void theCoreUsesNeitherSparkScalaHadoopNorARoomAboveIt() {
    List<String> violations = new ArrayList<>();
    Map<String, Integer> scanned = new TreeMap<>();
    references.forEach((cls, refs) -> {
      if (CORE_MAY_USE.containsKey(room(cls))) {
        scanned.merge(room(cls), 1, Integer::sum);
        checkCore(cls, refs, violations);
      }
    });
    // Guards against a vacuous pass (wrong directory, a room renamed): every core room has classes.
    assertEquals(CORE_MAY_USE.keySet(), scanned.keySet(), "core rooms found in target/classes: " + scanned);
    assertNoViolations(violations);
  }

  /**
   * The same rules on the imports of the core's sources: an import the code does not use leaves nothing in the
   * class file, yet it still ties the source to Spark's jars at compile time.
   */
  @Test
  void theCoreSourcesImportNeitherSparkScalaHadoopNorARoomAboveIt() throws IOException {
    Path sources = classes.getParent().getParent().resolve("src/main/java");
    assertTrue(Files.isDirectory(sources.resolve("io/lowrank/linalg")), "no sources in " + sources);
    List<String> violations = new ArrayList<>();
    int files = 0;
    for (String room : CORE_MAY_USE.keySet()) {
      try (Stream<Path> walk = Files.walk(sources.resolve("io/lowrank/" + room))) {
        for (Path f : (Iterable<Path>) walk.filter(p -> p.toString().endsWith(".java"))::iterator) {
          files++;
          Set<String> imports = new TreeSet<>();
          for (String line : Files.readAllLines(f)) {
            Matcher m = IMPORT.matcher(line);
            if (m.matches()) {
              imports.add(m.group(1));
            }
          }
          String cls = sources.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".")
              .replaceAll("\\.java$", "");
          checkCore(cls, imports, violations);
        }
      }
    }
    assertTrue(files > 20, "read only " + files + " core sources");
    assertNoViolations(violations);
  }

  /** Adds to {@code violations} each of {@code refs} that the core class {@code cls} must not use. */
  private static void checkCore(String cls, Set<String> refs, List<String> violations) {
    String room = room(cls);
    Set<String> mayUse = CORE_MAY_USE.get(room);
    for (String ref : refs) {
      for (String prefix : FORBIDDEN_IN_CORE) {
        if (ref.startsWith(prefix)) {
          violations.add(cls + " uses " + packageOf(ref) + " (" + ref + "): " + room
              + " must run without Spark, Scala or Hadoop");
        }
      }
      if (ref.startsWith(ROOT) && !mayUse.contains(room(ref))) {
        violations.add(cls + " uses " + packageOf(ref) + " (" + ref + "): " + room + " may use only "
            + new TreeSet<>(mayUse) + " of io.lowrank (docs/design.md)");
      }
    }
  }

  /**
   * The rooms above the engine, each with the rooms it must not use: the library ({@code run}) knows no command,
   * experiment, report or Estimator; experiments and reports call runs, never commands; nothing uses {@code job}.
   */
  private static final Map<String, Set<String>> UPPER_MAY_NOT_USE = Map.of(
      "io", Set.of("solve", "baseline", "run", "ml", "experiment", "report", "job"),
      "baseline", Set.of("run", "ml", "experiment", "report", "job"),
      "run", Set.of("ml", "experiment", "report", "job"),
      "ml", Set.of("experiment", "report", "job"),
      "report", Set.of("ml", "experiment", "job"),
      "experiment", Set.of("ml", "job"));

  @Test
  void theUpperRoomsUseOnlyTheRoomsBelowThem() {
    List<String> violations = new ArrayList<>();
    Map<String, Integer> scanned = new TreeMap<>();
    references.forEach((cls, refs) -> {
      Set<String> forbidden = UPPER_MAY_NOT_USE.get(room(cls));
      if (forbidden == null) {
        return;
      }
      scanned.merge(room(cls), 1, Integer::sum);
      for (String ref : refs) {
        if (ref.startsWith(ROOT) && forbidden.contains(room(ref))) {
          violations.add(cls + " uses " + packageOf(ref) + " (" + ref + "): " + room(cls) + " must not use "
              + new TreeSet<>(forbidden));
        }
      }
    });
    // Guards against a vacuous pass: every upper room has classes.
    assertEquals(new TreeSet<>(UPPER_MAY_NOT_USE.keySet()), scanned.keySet(),
        "upper rooms found in target/classes: " + scanned);
    assertNoViolations(violations);
  }

  @Test
  void theEngineHasNoUpwardArrows() {
    List<String> violations = new ArrayList<>();
    int scanned = 0;
    for (Map.Entry<String, Set<String>> e : references.entrySet()) {
      if (!room(e.getKey()).equals("engine")) {
        continue;
      }
      scanned++;
      for (String ref : e.getValue()) {
        if (ref.startsWith(ROOT) && ABOVE_ENGINE.contains(room(ref))) {
          violations.add(e.getKey() + " uses " + packageOf(ref) + " (" + ref + "): the engine must not know "
              + new TreeSet<>(ABOVE_ENGINE));
        }
      }
    }
    assertTrue(scanned > 0, "no io.lowrank.engine classes in target/classes");
    assertNoViolations(violations);
  }

  /** The scanner itself sees what it is meant to catch: the Spark side does refer to Spark and Scala. */
  @Test
  void theScannerSeesSparkWhereItIsUsed() {
    Set<String> engineRefs = new TreeSet<>();
    references.forEach((cls, refs) -> {
      if (room(cls).equals("engine")) {
        engineRefs.addAll(refs);
      }
    });
    assertTrue(engineRefs.stream().anyMatch(r -> r.startsWith("org.apache.spark.")), "engine: " + engineRefs);
    assertTrue(engineRefs.stream().anyMatch(r -> r.startsWith("scala.")), "engine: " + engineRefs);
    // A type that appears only in a descriptor (a method's parameter) is found as well.
    assertTrue(engineRefs.contains("org.apache.spark.broadcast.Broadcast"), "engine: " + engineRefs);
  }

  private static void assertNoViolations(List<String> violations) {
    if (!violations.isEmpty()) {
      fail(violations.size() + " package boundary violation(s):\n  " + String.join("\n  ", violations));
    }
  }

  /** The room of a class of ours: the package segment after {@code io.lowrank.} ("" for the root package). */
  private static String room(String cls) {
    if (!cls.startsWith(ROOT)) {
      return "";
    }
    String rest = cls.substring(ROOT.length());
    int dot = rest.indexOf('.');
    return dot < 0 ? "" : rest.substring(0, dot);
  }

  private static String packageOf(String cls) {
    int dot = cls.lastIndexOf('.');
    return dot < 0 ? "" : cls.substring(0, dot);
  }

  /**
   * The classes a class file's constant pool names (JVMS §4.4): CONSTANT_Class entries, the class types in every
   * other UTF-8 entry that is a descriptor or signature (fields, methods, generics, annotations, lambdas), and
   * string constants that spell a forbidden class name. Array types are reduced to their element class.
   */
  static Set<String> referencedClasses(byte[] bytes, String file) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException(file + " is not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    List<Integer> classIndexes = new ArrayList<>();
    List<Integer> stringIndexes = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF(); // modified UTF-8 with a u2 length, exactly what readUTF reads
        case 7 -> classIndexes.add(in.readUnsignedShort());
        case 8 -> stringIndexes.add(in.readUnsignedShort());
        case 16, 19, 20 -> in.readUnsignedShort(); // MethodType, Module, Package
        case 15 -> { // MethodHandle: kind, reference
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt(); // Integer, Float, refs, NameAndType, (Invoke)Dynamic
        case 5, 6 -> { // Long, Double take two slots
          in.readLong();
          i++;
        }
        default -> throw new IOException(file + ": unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    Set<String> refs = new TreeSet<>();
    for (int idx : classIndexes) {
      String name = utf8[idx];
      if (!name.startsWith("[")) {
        refs.add(name.replace('/', '.'));
      }
    }
    Set<Integer> strings = new TreeSet<>(stringIndexes);
    for (int i = 1; i < count; i++) {
      if (utf8[i] == null) {
        continue;
      }
      if (strings.contains(i) && NAMED_CLASS.matcher(utf8[i]).matches()) {
        refs.add(utf8[i]);
      }
      // Names of members and attributes cannot contain ';' '<' '/' together with a leading 'L', so only
      // descriptors, signatures and array class names match (a string constant would need that exact shape).
      Matcher m = DESCRIPTOR_TYPE.matcher(utf8[i]);
      while (m.find()) {
        refs.add(m.group(1).replace('/', '.'));
      }
    }
    return refs;
  }
}

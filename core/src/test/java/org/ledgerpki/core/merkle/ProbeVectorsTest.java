package org.ledgerpki.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every JSON probe of {@code vectors/merkle-testdata} (transparency-dev/merkle testdata): one
 * invocation per file, named by its path. {@code wantErr: false} must verify; {@code wantErr: true}
 * must throw {@link ProofException}. Inclusion and consistency probes go to {@link Proofs} (strict
 * RFC 9162), subtree probes to {@link Subtrees}.
 */
class ProbeVectorsTest {
  private static final String ROOT = "vectors/merkle-testdata";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The files on disk per directory; a vector lost on the way fails {@link #probeCounts()}. */
  private static final Map<String, Integer> EXPECTED =
      Map.of(
          "inclusion", 98, "consistency", 98, "subtreeinclusion", 204, "subtreeconsistency", 118);

  private static final Map<String, AtomicInteger> RAN = new ConcurrentHashMap<>();

  static Path root() {
    try {
      return Path.of(ProbeVectorsTest.class.getClassLoader().getResource(ROOT).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every probe file under {@code dir}, nested directories included, sorted. */
  static List<Path> probes(String dir) {
    try (Stream<Path> files = Files.walk(root().resolve(dir))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Arguments> args(String dir) {
    return probes(dir).stream()
        .map(p -> Arguments.of(root().relativize(p).toString().replace('\\', '/'), p));
  }

  static Stream<Arguments> inclusion() {
    return args("inclusion");
  }

  static Stream<Arguments> consistency() {
    return args("consistency");
  }

  static Stream<Arguments> subtreeInclusion() {
    return args("subtreeinclusion");
  }

  static Stream<Arguments> subtreeConsistency() {
    return args("subtreeconsistency");
  }

  // ---- reading probes -----------------------------------------------------------------------

  static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An unsigned 64-bit number; values of 2^63 or more become negative longs. */
  static long u64(JsonNode probe, String field) {
    return Long.parseUnsignedLong(probe.get(field).asText());
  }

  static byte[] b64(JsonNode probe, String field) {
    JsonNode v = probe.get(field);
    return v == null || v.isNull() ? new byte[0] : Base64.getDecoder().decode(v.asText());
  }

  static List<byte[]> proof(JsonNode probe) {
    List<byte[]> out = new ArrayList<>();
    JsonNode v = probe.get("proof");
    if (v != null && !v.isNull()) {
      for (JsonNode e : v) {
        out.add(Base64.getDecoder().decode(e.asText()));
      }
    }
    return out;
  }

  private static void check(String dir, String name, JsonNode probe, ThrowingCallable verify) {
    RAN.computeIfAbsent(dir, d -> new AtomicInteger()).incrementAndGet();
    String desc = name + " (" + probe.get("desc").asText() + ")";
    if (probe.get("wantErr").asBoolean()) {
      assertThatThrownBy(verify).as(desc).isInstanceOf(ProofException.class);
    } else {
      assertThatCode(verify).as(desc).doesNotThrowAnyException();
    }
  }

  // ---- the probes ---------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusion")
  void inclusionProbe(String name, Path file) {
    JsonNode p = read(file);
    check(
        "inclusion",
        name,
        p,
        () ->
            Proofs.verifyInclusion(
                u64(p, "leafIdx"),
                u64(p, "treeSize"),
                b64(p, "leafHash"),
                proof(p),
                b64(p, "root")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistency")
  void consistencyProbe(String name, Path file) {
    JsonNode p = read(file);
    check(
        "consistency",
        name,
        p,
        () ->
            Proofs.verifyConsistency(
                u64(p, "size1"), u64(p, "size2"), proof(p), b64(p, "root1"), b64(p, "root2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subtreeInclusion")
  void subtreeInclusionProbe(String name, Path file) {
    JsonNode p = read(file);
    check(
        "subtreeinclusion",
        name,
        p,
        () ->
            Subtrees.verifyInclusion(
                u64(p, "leafIdx"),
                b64(p, "leafHash"),
                proof(p),
                u64(p, "start"),
                u64(p, "end"),
                b64(p, "root")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subtreeConsistency")
  void subtreeConsistencyProbe(String name, Path file) {
    JsonNode p = read(file);
    check(
        "subtreeconsistency",
        name,
        p,
        () ->
            Subtrees.verifyConsistency(
                u64(p, "start"),
                u64(p, "end"),
                u64(p, "size"),
                proof(p),
                b64(p, "root1"),
                b64(p, "root2")));
  }

  /**
   * The consistency probes again, through the witness verifier: with {@code size1 > 0} it must
   * agree with the strict one, and with {@code size1 == 0} it accepts exactly the probe with an
   * empty proof, the empty root as root1 and a non-empty new tree (ADR 0002).
   */
  @Test
  void consistencyProbesThroughTheWitnessVerifier() {
    Set<String> flipped = Set.of("consistency/additional/size1-is-zero-and-size2-is-not-zero.json");
    int checked = 0;
    for (Path file : probes("consistency")) {
      String name = root().relativize(file).toString().replace('\\', '/');
      JsonNode p = read(file);
      boolean wantErr = p.get("wantErr").asBoolean() != flipped.contains(name);
      ThrowingCallable verify =
          () ->
              Proofs.verifyConsistencyFromAnySize(
                  u64(p, "size1"), u64(p, "size2"), proof(p), b64(p, "root1"), b64(p, "root2"));
      if (wantErr) {
        assertThatThrownBy(verify).as(name).isInstanceOf(ProofException.class);
      } else {
        assertThatCode(verify).as(name).doesNotThrowAnyException();
      }
      checked++;
    }
    assertThat(checked).isEqualTo(EXPECTED.get("consistency"));
  }

  /** Every directory has the probes it should, and all of them are found (nested ones too). */
  @Test
  void probeCounts() {
    Map<String, Integer> found = new TreeMap<>();
    for (String dir : EXPECTED.keySet()) {
      found.put(dir, probes(dir).size());
    }
    try (Stream<Path> all = Files.walk(root())) {
      long onDisk = all.filter(p -> p.toString().endsWith(".json")).count();
      assertThat(found.values().stream().mapToInt(Integer::intValue).sum())
          .as("probes under the four directories vs all JSON files on disk")
          .isEqualTo(onDisk)
          .isEqualTo(518);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(found).isEqualTo(new TreeMap<>(EXPECTED));
    System.out.println("found probes per directory: " + found);
  }

  /** Prints what ran, and fails if the parameterized tests ran some probes but not all. */
  @AfterAll
  static void report() {
    if (RAN.isEmpty()) {
      return; // a filtered run that selected none of the parameterized tests
    }
    Map<String, Integer> ran = new TreeMap<>();
    RAN.forEach((dir, n) -> ran.put(dir, n.get()));
    System.out.printf(
        "ran %d inclusion, %d consistency, %d subtree inclusion, %d subtree consistency probes"
            + " (%d in all)%n",
        ran.getOrDefault("inclusion", 0),
        ran.getOrDefault("consistency", 0),
        ran.getOrDefault("subtreeinclusion", 0),
        ran.getOrDefault("subtreeconsistency", 0),
        ran.values().stream().mapToInt(Integer::intValue).sum());
    for (String dir : ran.keySet()) {
      assertThat(ran.get(dir)).as("%s probes run", dir).isEqualTo(EXPECTED.get(dir));
    }
  }
}

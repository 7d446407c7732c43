package org.ledgerpki.core.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the shared known answers in {@code vectors/mtc-and-note-vectors.txt} (a test resource of
 * core, so it is in the test-jar too). Blocks start with {@code ## V<n>}; tests pick values out of
 * a block with {@link #find(String, String)}, so the vectors stay data and are not copied into
 * code.
 */
public final class KnownAnswers {
  private static final String RESOURCE = "/vectors/mtc-and-note-vectors.txt";
  private static final String ALL = load();

  private KnownAnswers() {}

  private static String load() {
    try (InputStream in = KnownAnswers.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns the text of block {@code id} (for example {@code "V8"}), from its {@code ##} heading up
   * to the next heading.
   *
   * @throws IllegalArgumentException if there is no such block
   */
  public static String block(String id) {
    Matcher m = Pattern.compile("(?m)^## " + Pattern.quote(id) + "\\s").matcher(ALL);
    if (!m.find()) {
      throw new IllegalArgumentException("no block " + id + " in " + RESOURCE);
    }
    int end = ALL.indexOf("\n## ", m.end());
    return ALL.substring(m.start(), end < 0 ? ALL.length() : end + 1);
  }

  /**
   * Returns group 1 of the first match of {@code regex} (multiline mode) in block {@code id}.
   *
   * @throws IllegalArgumentException if it does not match
   */
  public static String find(String id, String regex) {
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(block(id));
    if (!m.find()) {
      throw new IllegalArgumentException("no match for /" + regex + "/ in block " + id);
    }
    return m.group(1);
  }

  /** Returns the value of a {@code key = value} line of block {@code id}: its first word. */
  public static String value(String id, String key) {
    return find(id, "^\\s*" + Pattern.quote(key) + "\\s*=\\s*(\\S+)");
  }

  /** Undoes the {@code \n} escapes used in the quoted strings of the vectors file. */
  public static String unescape(String quoted) {
    return quoted.replace("\\n", "\n");
  }
}

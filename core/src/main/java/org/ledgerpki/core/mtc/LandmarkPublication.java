package org.ledgerpki.core.mtc;

import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.MalformedInputException;

/**
 * The landmark publication format (draft, "Publishing Landmarks"): a line {@code <last_landmark>
 * <num_active_landmarks>}, then {@code num_active_landmarks + 1} lines each holding one tree size,
 * line {@code i} (from 0) the size of landmark {@code last_landmark - i}. Every line ends with
 * {@code \n}. Served as {@code text/plain; charset=utf-8}.
 *
 * <p>Rules checked by the constructor and {@link #parse(String)}: {@code num_active_landmarks <=
 * last_landmark}; tree sizes strictly decreasing, at most 2^48 - 1, and 0 for landmark 0 when the
 * window reaches it. {@link #check} and {@link #parse(String, int, long)} add the rules that need
 * the reader's context: {@code num_active_landmarks <= max_active_landmarks}, and sizes at most the
 * log's latest tree size. Numbers are plain decimal: digits only, no sign, no leading zeros.
 * Immutable.
 */
public final class LandmarkPublication {
  private final long lastLandmark;
  private final long[] treeSizes; // treeSizes[i] = size of landmark lastLandmark - i

  /**
   * A publication of landmarks {@code lastLandmark - n .. lastLandmark} where {@code n =
   * treeSizesDescending.size() - 1} is {@code num_active_landmarks}.
   *
   * @throws IllegalArgumentException if the rules above fail
   */
  public LandmarkPublication(long lastLandmark, List<Long> treeSizesDescending) {
    if (treeSizesDescending.isEmpty()) {
      throw new IllegalArgumentException("a publication lists at least the last landmark's size");
    }
    this.lastLandmark = lastLandmark;
    this.treeSizes = new long[treeSizesDescending.size()];
    for (int i = 0; i < treeSizes.length; i++) {
      treeSizes[i] = treeSizesDescending.get(i);
    }
    String problem = intrinsicProblem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private LandmarkPublication(long lastLandmark, long[] treeSizes) {
    this.lastLandmark = lastLandmark;
    this.treeSizes = treeSizes;
  }

  /** The number of the last landmark allocated. */
  public long lastLandmark() {
    return lastLandmark;
  }

  /** {@code num_active_landmarks}. */
  public int numActiveLandmarks() {
    return treeSizes.length - 1;
  }

  /** The landmarks listed, oldest first: the active ones and the one before them. */
  public List<Landmark> landmarks() {
    List<Landmark> out = new ArrayList<>(treeSizes.length);
    for (int i = treeSizes.length - 1; i >= 0; i--) {
      out.add(new Landmark(lastLandmark - i, treeSizes[i]));
    }
    return out;
  }

  /** The listed landmarks as a {@link LandmarkSequence} window. */
  public LandmarkSequence toSequence() {
    long[] up = new long[treeSizes.length];
    for (int i = 0; i < up.length; i++) {
      up[i] = treeSizes[up.length - 1 - i];
    }
    return LandmarkSequence.window(lastLandmark - numActiveLandmarks(), up);
  }

  /**
   * The active landmark subtrees this publication determines, oldest first: the subtrees relying
   * parties trust once they have their hashes.
   */
  public List<LandmarkSubtree> activeSubtrees() {
    return numActiveLandmarks() == 0
        ? List.of()
        : toSequence().activeSubtrees(numActiveLandmarks());
  }

  /**
   * Checks the rules that need context.
   *
   * @throws MalformedInputException if {@code num_active_landmarks > maxActive} or a tree size
   *     exceeds {@code latestTreeSize}
   */
  public void check(int maxActive, long latestTreeSize) throws MalformedInputException {
    if (numActiveLandmarks() > maxActive) {
      throw new MalformedInputException(
          "landmarks line 1: num_active_landmarks "
              + numActiveLandmarks()
              + " exceeds max_active_landmarks "
              + maxActive);
    }
    if (treeSizes[0] > latestTreeSize) {
      throw new MalformedInputException(
          "landmarks line 2: tree size "
              + treeSizes[0]
              + " exceeds the log's latest tree size "
              + latestTreeSize);
    }
  }

  /** The text form, every line ending with {@code \n}. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(lastLandmark).append(' ').append(numActiveLandmarks()).append('\n');
    for (long s : treeSizes) {
      sb.append(s).append('\n');
    }
    return sb.toString();
  }

  /**
   * Parses the text form, checking the rules that need no context.
   *
   * @throws MalformedInputException naming the line (from 1) and the fault
   */
  public static LandmarkPublication parse(String text) throws MalformedInputException {
    int pos = 0;
    String header = line(text, pos, 1);
    pos += header.length() + 1;
    int space = header.indexOf(' ');
    if (space < 0 || header.indexOf(' ', space + 1) >= 0) {
      throw new MalformedInputException(
          "landmarks line 1: want '<last_landmark> <num_active_landmarks>', found '"
              + header
              + "'");
    }
    long last = number(header.substring(0, space), 1, "last_landmark");
    long numActive = number(header.substring(space + 1), 1, "num_active_landmarks");
    if (numActive > last) {
      throw new MalformedInputException(
          "landmarks line 1: num_active_landmarks " + numActive + " exceeds last_landmark " + last);
    }
    if (numActive >= Integer.MAX_VALUE) {
      throw new MalformedInputException(
          "landmarks line 1: num_active_landmarks " + numActive + " is too large");
    }
    List<Long> sizes = new ArrayList<>();
    for (long i = 0; i <= numActive; i++) {
      int lineNo = (int) (i + 2);
      if (pos >= text.length()) {
        throw new MalformedInputException(
            "landmarks line "
                + lineNo
                + ": missing; the header announces "
                + (numActive + 1)
                + " tree sizes, found "
                + i);
      }
      String l = line(text, pos, lineNo);
      pos += l.length() + 1;
      long size = number(l, lineNo, "tree size");
      if (size > LandmarkSequence.MAX_TREE_SIZE) {
        throw new MalformedInputException(
            "landmarks line " + lineNo + ": tree size " + size + " exceeds 2^48-1");
      }
      if (!sizes.isEmpty() && size >= sizes.get(sizes.size() - 1)) {
        throw new MalformedInputException(
            "landmarks line "
                + lineNo
                + ": tree size "
                + size
                + " of landmark "
                + (last - i)
                + " is not less than "
                + sizes.get(sizes.size() - 1)
                + " on line "
                + (lineNo - 1)
                + " (sizes must strictly decrease)");
      }
      if (last - i == 0 && size != 0) {
        throw new MalformedInputException(
            "landmarks line " + lineNo + ": landmark 0 must have tree size 0, found " + size);
      }
      sizes.add(size);
    }
    if (pos != text.length()) {
      throw new MalformedInputException(
          "landmarks line "
              + (numActive + 3)
              + ": unexpected text after the "
              + (numActive + 1)
              + " tree sizes the header announces");
    }
    long[] arr = new long[sizes.size()];
    for (int i = 0; i < arr.length; i++) {
      arr[i] = sizes.get(i);
    }
    return new LandmarkPublication(last, arr);
  }

  /**
   * Parses the text form and checks every rule, including {@code num_active_landmarks <= maxActive}
   * and sizes at most {@code latestTreeSize}.
   *
   * @throws MalformedInputException naming the line (from 1) and the fault
   */
  public static LandmarkPublication parse(String text, int maxActive, long latestTreeSize)
      throws MalformedInputException {
    LandmarkPublication p = parse(text);
    p.check(maxActive, latestTreeSize);
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LandmarkPublication p
        && p.lastLandmark == lastLandmark
        && java.util.Arrays.equals(p.treeSizes, treeSizes);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(lastLandmark) + java.util.Arrays.hashCode(treeSizes);
  }

  @Override
  public String toString() {
    return "LandmarkPublication[last " + lastLandmark + ", " + numActiveLandmarks() + " active]";
  }

  private String intrinsicProblem() {
    if (lastLandmark < 0) {
      return "last_landmark must be non-negative, got " + lastLandmark;
    }
    if (numActiveLandmarks() > lastLandmark) {
      return "num_active_landmarks "
          + numActiveLandmarks()
          + " exceeds last_landmark "
          + lastLandmark;
    }
    for (int i = 0; i < treeSizes.length; i++) {
      if (treeSizes[i] < 0 || treeSizes[i] > LandmarkSequence.MAX_TREE_SIZE) {
        return "tree size " + treeSizes[i] + " is not in 0..2^48-1";
      }
      if (i > 0 && treeSizes[i] >= treeSizes[i - 1]) {
        return "tree sizes must strictly decrease: "
            + treeSizes[i]
            + " (landmark "
            + (lastLandmark - i)
            + ") after "
            + treeSizes[i - 1];
      }
    }
    if (lastLandmark == numActiveLandmarks() && treeSizes[treeSizes.length - 1] != 0) {
      return "landmark 0 must have tree size 0, got " + treeSizes[treeSizes.length - 1];
    }
    return null;
  }

  /** The text of the line starting at {@code pos}, which must end with {@code \n}. */
  private static String line(String text, int pos, int lineNo) throws MalformedInputException {
    if (pos >= text.length()) {
      throw new MalformedInputException("landmarks line " + lineNo + ": missing");
    }
    int nl = text.indexOf('\n', pos);
    if (nl < 0) {
      throw new MalformedInputException(
          "landmarks line " + lineNo + ": not terminated by a newline (U+000A)");
    }
    return text.substring(pos, nl);
  }

  private static long number(String s, int lineNo, String what) throws MalformedInputException {
    boolean digits = !s.isEmpty();
    for (int i = 0; i < s.length() && digits; i++) {
      char c = s.charAt(i);
      digits = c >= '0' && c <= '9';
    }
    if (!digits) {
      throw new MalformedInputException(
          "landmarks line "
              + lineNo
              + ": "
              + what
              + " '"
              + s
              + "' is not a non-negative decimal integer");
    }
    if (s.length() > 1 && s.charAt(0) == '0') {
      throw new MalformedInputException(
          "landmarks line " + lineNo + ": " + what + " '" + s + "' has a leading zero");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new MalformedInputException(
          "landmarks line " + lineNo + ": " + what + " " + s + " is too large");
    }
  }
}

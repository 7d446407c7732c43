package org.ledgerpki.inquiry.query;

import java.util.NavigableMap;
import org.ledgerpki.inquiry.index.LandmarkView;

/**
 * The MTC draft's landmark publication ("Publishing Landmarks"): a line {@code <last_landmark>
 * <num_active_landmarks>}, then {@code num_active_landmarks + 1} tree sizes, of landmarks {@code
 * last_landmark} down to {@code last_landmark - num_active_landmarks}, strictly decreasing, each
 * line ending in a newline.
 */
final class LandmarkPublication {
  private LandmarkPublication() {}

  /**
   * Writes the publication of the cosigned landmarks.
   *
   * <p>Landmark 0 has tree size 0. The window holds the latest {@code maxActive} landmarks, cut
   * short where a landmark of the window is not (yet) cosigned, so that every size published is one
   * the consortium cosigned. With no landmark, it is {@code "0 0\n0\n"}.
   *
   * @param landmarks the cosigned landmarks by number
   * @param maxActive the policy's {@code max_active_landmarks}; {@code >= 1}
   */
  static String write(NavigableMap<Long, LandmarkView> landmarks, int maxActive) {
    if (landmarks.isEmpty()) {
      return "0 0\n0\n";
    }
    long last = landmarks.lastKey();
    StringBuilder sizes = new StringBuilder();
    long active = 0;
    long previousSize = Long.MAX_VALUE;
    for (long n = last; n >= 0 && active <= maxActive; n--) {
      long size;
      if (n == 0) {
        size = 0;
      } else if (landmarks.containsKey(n)) {
        size = landmarks.get(n).treeSize();
      } else if (landmarks.containsKey(n + 1) && landmarks.get(n + 1).previousTreeSize() >= 0) {
        // Not cosigned itself, but its successor vouches for its tree size.
        size = landmarks.get(n + 1).previousTreeSize();
      } else {
        break;
      }
      if (size >= previousSize) {
        break;
      }
      sizes.append(size).append('\n');
      previousSize = size;
      active++;
      if (n == 0 || !landmarks.containsKey(n)) {
        break;
      }
    }
    // 'active' counts the tree-size lines; num_active_landmarks is one less.
    return last + " " + (active - 1) + "\n" + sizes;
  }
}

package org.ledgerpki.core.profile;

/** One broken rule: a code for machines and a sentence (expected vs found) for people. */
public record Violation(ViolationCode code, String detail) {
  @Override
  public String toString() {
    return code + ": " + detail;
  }
}

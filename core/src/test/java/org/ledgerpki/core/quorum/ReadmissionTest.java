package org.ledgerpki.core.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.quorum.Readmission.KeyReuse;
import org.ledgerpki.core.quorum.Readmission.Refusal;
import org.ledgerpki.core.quorum.Readmission.Revocation;

/** The re-admission rule and the request-window rule. */
class ReadmissionTest {
  private static final Revocation COMPROMISED = new Revocation(new byte[32], 1, "vendor-a");
  private static final Revocation CEASED = new Revocation(new byte[32], 5, "vendor-a");

  private static Optional<Refusal> check(
      OptionalLong dup, Revocation compromise, Revocation other, String submitter, KeyReuse r) {
    return Readmission.check(
            dup, Optional.ofNullable(compromise), Optional.ofNullable(other), submitter, r)
        .map(Readmission.Refused::refusal);
  }

  @Test
  void aFreshEntryIsAdmitted() {
    assertEquals(
        Optional.empty(), check(OptionalLong.empty(), null, null, "vendor-a", KeyReuse.OWNER));
  }

  @Test
  void anIdenticalEntryIsRefusedFirst() {
    assertEquals(
        Optional.of(Refusal.ENTRY_ALREADY_IN_LOG),
        check(OptionalLong.of(7), COMPROMISED, null, "vendor-a", KeyReuse.ANY));
  }

  @Test
  void aCompromisedKeyIsRefusedForEveryoneWhateverThePolicy() {
    for (KeyReuse r : KeyReuse.values()) {
      assertEquals(
          Optional.of(Refusal.KEY_COMPROMISED),
          check(OptionalLong.empty(), COMPROMISED, null, "vendor-a", r));
    }
  }

  @Test
  void keyReuseAfterAnotherRevocationFollowsThePolicy() {
    assertEquals(
        Optional.empty(), check(OptionalLong.empty(), null, CEASED, "vendor-a", KeyReuse.OWNER));
    assertEquals(
        Optional.of(Refusal.KEY_REUSE_REFUSED),
        check(OptionalLong.empty(), null, CEASED, "operator-b", KeyReuse.OWNER));
    assertEquals(
        Optional.of(Refusal.KEY_REUSE_REFUSED),
        check(OptionalLong.empty(), null, CEASED, "vendor-a", KeyReuse.NEVER));
    assertEquals(
        Optional.empty(), check(OptionalLong.empty(), null, CEASED, "operator-b", KeyReuse.ANY));
  }

  @Test
  void onlyKeyCompromiseBlocksTheKey() {
    assertTrue(Readmission.compromises(1));
    assertTrue(!Readmission.compromises(5) && !Readmission.compromises(null));
  }

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration SKEW = Duration.ofMinutes(5);

  @Test
  void requestsWithinTheWindowMayGrant() {
    assertEquals(Optional.empty(), RequestWindow.problem(List.of(0L, 1_000L), 2_000L, HOUR, SKEW));
  }

  @Test
  void requestsTooFarApartMayNot() {
    String why =
        RequestWindow.problem(List.of(0L, 2 * HOUR.toMillis()), 2 * HOUR.toMillis(), HOUR, SKEW)
            .orElseThrow();
    assertTrue(why.contains("apart"), why);
  }

  @Test
  void aGrantLongAfterTheRequestsMayNot() {
    String why =
        RequestWindow.problem(List.of(0L), HOUR.plus(SKEW).toMillis() + 1, HOUR, SKEW)
            .orElseThrow();
    assertTrue(why.contains("after the first request"), why);
  }

  @Test
  void aRequestFromTheFutureMayNot() {
    String why = RequestWindow.problem(List.of(SKEW.toMillis() + 1), 0L, HOUR, SKEW).orElseThrow();
    assertTrue(why.contains("after the event is granted"), why);
  }
}

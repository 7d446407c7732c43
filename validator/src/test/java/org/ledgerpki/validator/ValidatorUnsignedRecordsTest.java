package org.ledgerpki.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgerpki.validator.ValidatorHarness.codes;
import static org.ledgerpki.validator.ValidatorHarness.issue;
import static org.ledgerpki.validator.ValidatorHarness.request;

import java.security.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * A writer without the log's key (a mirrored cluster, an ACL mistake) writing straight to {@code
 * ledger.entries} and {@code ledger.status} (docs/adr/0012-log-signed-ledger-records.md): the
 * validator's view keeps the first owner of a certificate and every revocation, so a forged record
 * read first would decide the real owner's requests. Records without the log's valid signature are
 * skipped and counted; the same records signed by the log are honoured. Each case runs on a fresh
 * validator.
 */
class ValidatorUnsignedRecordsTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");
  private static final PrivateKey OTHER_KEY =
      Keys.generate(SignatureAlgorithm.ED25519).getPrivate();
  private static int serial;

  /** How the forger gets a record past the log. */
  enum Forgery {
    UNSIGNED,
    SIGNED_WITH_ANOTHER_KEY,
    /** The log signed another record; a field its signature covers was changed afterwards. */
    ALTERED_AFTER_SIGNING
  }

  private static byte[] cert() {
    return TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "vu-" + serial++).der();
  }

  /** The entry of {@code der} naming operator-c as its owner, forged as {@code how}. */
  private static LedgerEntry forgedOwner(ValidatorHarness h, byte[] der, Forgery how) {
    LedgerEntry e = h.entry(der, "operator-c");
    switch (how) {
      case UNSIGNED -> {}
      case SIGNED_WITH_ANOTHER_KEY -> LogRecords.sign(e, OTHER_KEY);
      case ALTERED_AFTER_SIGNING -> {
        e.setSubmitter("vendor-a");
        LogRecords.sign(e, ValidatorHarness.LOG_KEY);
        e.setSubmitter("operator-c");
      }
    }
    return e;
  }

  /** A REVOKE of {@code target} for keyCompromise, forged as {@code how}. */
  private static StatusEntry forgedRevocation(ValidatorHarness h, byte[] target, Forgery how) {
    StatusEntry s = h.statusEntry(target, Operation.REVOKE, 1, "vendor-a");
    switch (how) {
      case UNSIGNED -> {}
      case SIGNED_WITH_ANOTHER_KEY -> LogRecords.sign(s, OTHER_KEY);
      case ALTERED_AFTER_SIGNING -> {
        // A suspension the log signed, turned into a revocation.
        s.setOperation(Operation.SUSPEND);
        s.setReasonCode(null);
        LogRecords.sign(s, ValidatorHarness.LOG_KEY);
        s.setOperation(Operation.REVOKE);
        s.setReasonCode(1);
      }
    }
    return s;
  }

  @ParameterizedTest
  @EnumSource(Forgery.class)
  void aForgedEntryReadFirstDoesNotMakeItsOwner(Forgery how) {
    try (ValidatorHarness h = new ValidatorHarness()) {
      byte[] der = cert();
      h.publish(forgedOwner(h, der, how));
      assertThat(h.metric("unauthenticated-records-total", "kind", "entry")).isEqualTo(1);

      // The log's entry of that certificate, vendor-a's, and of the certificate it renews to.
      byte[] old = h.inLedger(der, "vendor-a");
      byte[] fresh = cert();
      h.inLedger(fresh, "vendor-a");
      assertThat(h.judge(request("vendor-a", Operation.RENEW, old, null, fresh)).getVerdict())
          .as("renewal is the owner's, and the owner is the log's entry's")
          .isEqualTo(Verdict.ENDORSE);
      Endorsement byC = h.judge(request("operator-c", Operation.RENEW, old, null, fresh));
      assertThat(codes(byC)).contains(ReasonCode.NOT_OWNER);
      assertThat(h.metric("unauthenticated-records-total")).isEqualTo(1);
    }
  }

  @Test
  void theSameEntrySignedByTheLogIsHonoured() {
    try (ValidatorHarness h = new ValidatorHarness()) {
      byte[] der = cert();
      h.publish(LogRecords.sign(h.entry(der, "operator-c"), ValidatorHarness.LOG_KEY));
      byte[] old = h.inLedger(der, "vendor-a");
      byte[] fresh = cert();
      h.inLedger(fresh, "vendor-a");
      Endorsement byA = h.judge(request("vendor-a", Operation.RENEW, old, null, fresh));
      assertThat(codes(byA)).contains(ReasonCode.NOT_OWNER);
      assertThat(byA.getReasons().get(0).getDetail()).contains("'operator-c'");
      assertThat(h.metric("unauthenticated-records-total")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Forgery.class)
  void aForgedRevocationIsNotApplied(Forgery how) {
    TestPki.Vendor first = TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "vu-key", 41);
    try (ValidatorHarness h = new ValidatorHarness()) {
      byte[] t = h.inLedger(first.der(), "vendor-a");
      h.publish(forgedRevocation(h, t, how));
      assertThat(h.metric("unauthenticated-records-total", "kind", "status-event")).isEqualTo(1);

      assertThat(
              h.judge(issue("vendor-a", TestPki.reusingKeyOf(first, VENDOR_O, "vu-key-b").der()))
                  .getVerdict())
          .as("the owner may reuse the key of its certificate, which is not revoked")
          .isEqualTo(Verdict.ENDORSE);
      assertThat(h.judge(request("vendor-a", Operation.SUSPEND, t, null, null)).getVerdict())
          .as("a GOOD certificate may be suspended")
          .isEqualTo(Verdict.ENDORSE);
    }
  }

  @Test
  void theSameRevocationSignedByTheLogIsHonoured() {
    TestPki.Vendor first = TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "vu-key", 41);
    try (ValidatorHarness h = new ValidatorHarness()) {
      byte[] t = h.inLedger(first.der(), "vendor-a");
      h.status(t, Operation.REVOKE, 1, "vendor-a");
      Endorsement reuse =
          h.judge(issue("vendor-a", TestPki.reusingKeyOf(first, VENDOR_O, "vu-key-b").der()));
      assertThat(codes(reuse)).containsExactly(ReasonCode.KEY_COMPROMISED);
      assertThat(codes(h.judge(request("vendor-a", Operation.SUSPEND, t, null, null))))
          .containsExactly(ReasonCode.INVALID_TRANSITION);
      assertThat(h.metric("unauthenticated-records-total")).isZero();
    }
  }
}

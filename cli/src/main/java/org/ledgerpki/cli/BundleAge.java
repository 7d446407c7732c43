package org.ledgerpki.cli;

import java.util.Optional;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.verify.TrustBundle;

/**
 * Whether a relying party's trust bundle is behind the policy an answer was issued under: the
 * answer's checkpoint names its policy ({@code ledger-pki-policy <serial> <hash>},
 * docs/governance.md), and a serial above the bundle's means the consortium changed its policy
 * since the bundle was made (new cosigners, another quorum), so the answer may not verify with it.
 * Read from the answer before it is verified: a hint for the user, never a reason to trust.
 */
public final class BundleAge {
  private BundleAge() {}

  /**
   * The notice to show if the checkpoint {@code note} names a policy serial above the bundle's (or
   * above 1 for a bundle that names no policy); empty otherwise, and for a note that cannot be read
   * (its verification will say why).
   */
  static Optional<String> behind(TrustBundle bundle, String note) {
    if (note == null) {
      return Optional.empty();
    }
    PolicyCommitment named;
    try {
      named =
          PolicyCommitment.find(Checkpoint.fromNote(Note.parse(note)).extensions()).orElse(null);
    } catch (MalformedInputException | RuntimeException e) {
      return Optional.empty();
    }
    if (named == null) {
      return Optional.empty();
    }
    Long held = bundle.policySerial();
    if (held == null) {
      return named.serial() > 1
          ? Optional.of(
              "the trust bundle may be behind (serial unknown, the answer needs "
                  + named.serial()
                  + "): run ledgerpki trust update")
          : Optional.empty();
    }
    return named.serial() > held
        ? Optional.of(
            "the trust bundle is behind (serial "
                + held
                + ", the answer needs "
                + named.serial()
                + "): run ledgerpki trust update")
        : Optional.empty();
  }
}

package org.ledgerpki.core.verify;

import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.mtc.CosignedSubtree;
import org.ledgerpki.core.mtc.CosignerPolicy;
import org.ledgerpki.core.mtc.MtcProof;
import org.ledgerpki.core.mtc.MtcVerificationException;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.Vkey;
import org.ledgerpki.core.tlog.SubtreeCosignature;

/**
 * The consortium's cosigner policy for standalone MTC certificates: at least {@code cosignerQuorum}
 * distinct cosigners of the {@link TrustBundle} must have signed the subtree with their ML-DSA-44
 * {@code subtree/v1} keys (timestamp 0). Cosigners the bundle does not name, and signatures that
 * fail, are ignored. Thread-safe.
 */
public final class QuorumCosignerPolicy implements CosignerPolicy {
  private final Map<String, PublicKey> keysByName = new HashMap<>();
  private final int quorum;

  public QuorumCosignerPolicy(TrustBundle bundle) throws MalformedInputException {
    for (TrustBundle.Cosigner c : bundle.cosigners()) {
      Vkey v = Vkey.parse(c.vkey());
      if (v.type() == NoteKeys.TYPE_SUBTREE_V1) {
        keysByName.put(v.name(), Keys.mlDsaFromRaw(SignatureAlgorithm.ML_DSA_44, v.publicKey()));
      }
    }
    this.quorum = bundle.cosignerQuorum();
  }

  @Override
  public void check(CosignedSubtree subtree, List<MtcProof.SubtreeSignature> signatures)
      throws MtcVerificationException {
    TreeSet<String> valid = new TreeSet<>();
    for (MtcProof.SubtreeSignature s : signatures) {
      String name;
      try {
        name = TrustAnchorId.keyName(TrustAnchorId.fromBinary(s.cosignerId()));
      } catch (MalformedInputException | IllegalArgumentException e) {
        continue;
      }
      PublicKey key = keysByName.get(name);
      if (key != null
          && SubtreeCosignature.verifySubtree(
              key,
              name,
              0,
              subtree.logOrigin(),
              subtree.start(),
              subtree.end(),
              subtree.subtreeHash(),
              s.signature())) {
        valid.add(name);
      }
    }
    if (valid.size() < quorum) {
      throw new MtcVerificationException(
          subtree
              + ": "
              + valid.size()
              + " valid cosignature(s) "
              + valid
              + ", the policy requires "
              + quorum);
    }
  }
}

package org.ledgerpki.validator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.ledgerpki.core.profile.ReadmissionRule;
import org.ledgerpki.core.status.CertificateState;

/**
 * The {@link LedgerView} over the two global stores {@link LedgerViewProcessor} keeps. Keys:
 *
 * <ul>
 *   <li>entries store: {@code cert/<certHash>} → owner; {@code leaf/<leafHash>} → certHash; {@code
 *       key/<spkiHash>/<certHash>} → owner;
 *   <li>status store: {@code state/<certHash>} → state of its latest event; {@code
 *       revoked/<certHash>} → RFC 5280 reason of its revocation.
 * </ul>
 */
final class StoreLedgerView implements LedgerView {
  static final String CERT = "cert/";
  static final String LEAF = "leaf/";
  static final String KEY = "key/";
  static final String STATE = "state/";
  static final String REVOKED = "revoked/";

  private final ReadOnlyKeyValueStore<String, String> entries;
  private final ReadOnlyKeyValueStore<String, String> status;

  StoreLedgerView(
      ReadOnlyKeyValueStore<String, String> entries, ReadOnlyKeyValueStore<String, String> status) {
    this.entries = entries;
    this.status = status;
  }

  @Override
  public Optional<String> owner(String certHash) {
    return Optional.ofNullable(entries.get(CERT + certHash));
  }

  @Override
  public CertificateState state(String certHash) {
    String s = status.get(STATE + certHash);
    return s == null ? CertificateState.GOOD : CertificateState.valueOf(s);
  }

  @Override
  public Optional<String> certificateWithEntry(String leafHash) {
    return Optional.ofNullable(entries.get(LEAF + leafHash));
  }

  @Override
  public List<ReadmissionRule.KeyUse> certificatesWithKey(String spkiHash) {
    String prefix = KEY + spkiHash + "/";
    List<ReadmissionRule.KeyUse> out = new ArrayList<>();
    try (KeyValueIterator<String, String> it = entries.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, String> kv = it.next();
        String cert = kv.key.substring(prefix.length());
        String reason = status.get(REVOKED + cert);
        out.add(
            new ReadmissionRule.KeyUse(
                cert, kv.value, reason == null ? null : Integer.valueOf(reason)));
      }
    }
    return out;
  }
}

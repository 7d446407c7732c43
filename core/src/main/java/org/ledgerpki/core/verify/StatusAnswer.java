package org.ledgerpki.core.verify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.ledgerpki.core.MalformedInputException;

/**
 * An inquiry node's status answer, as the inquiry API's contract defines it (DESIGN.md): hashes in
 * lowercase hex, binary in standard base64, times in RFC 3339 UTC. The same type is written by the
 * inquiry node and read by relying parties, so both sides agree on the field names.
 *
 * @param certificateSha256 hex SHA-256 of the certificate's DER
 * @param status GOOD, REVOKED, SUSPENDED, PENDING, REJECTED or UNKNOWN
 * @param log the log's checkpoint origin (null when not in a log)
 * @param index the entry's index in the log (null when not in a log)
 * @param entry base64 MTCLogEntry
 * @param inclusionProof base64 hashes: RFC 9162 inclusion proof of the entry at {@code index} in
 *     the tree of the checkpoint
 * @param checkpoint the cosigned checkpoint (signed note text) the proof is relative to; null in an
 *     answer whose client said it holds that checkpoint ({@code X-Checkpoint-Held}, ADR 0009)
 * @param checkpointSha256 names the checkpoint the proofs are relative to: hex SHA-256 of its note
 *     text (the checkpoint body, without signature lines; {@link StatusCheckpoints#sha256}), so
 *     that every signed form of it has the same name; null when there is no checkpoint
 * @param revocation null, or details of a revocation or suspension
 * @param reasons for REJECTED: why, per validator
 * @param statusProof the proofs, in the status map committed by {@code checkpoint}, of the entry's
 *     latest lifecycle event (or of its absence) and of its key's compromise report (or of its
 *     absence) (docs/status.md)
 * @param certificate base64 DER of the certificate the ledger holds for the entry; always present
 *     in answers about an admitted certificate, so that a relying party that asked by hash can
 *     check H(certificate) = the hash it asked and bind the entry to it
 * @param producedAt when the node produced the answer: a hint no verifier relies on
 * @param nextUpdate when the node suggests asking again: a hint no verifier relies on (freshness
 *     comes from the cosigners' signed timestamps)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusAnswer(
    String certificateSha256,
    String status,
    String log,
    Long index,
    String entry,
    List<String> inclusionProof,
    String checkpoint,
    String checkpointSha256,
    Map<String, Object> revocation,
    List<Reason> reasons,
    StatusProof statusProof,
    String certificate,
    String producedAt,
    String nextUpdate) {

  /**
   * An answer that does not name its checkpoint ({@code checkpointSha256} null): the form before
   * ADR 0009, which readers still accept.
   */
  public StatusAnswer(
      String certificateSha256,
      String status,
      String log,
      Long index,
      String entry,
      List<String> inclusionProof,
      String checkpoint,
      Map<String, Object> revocation,
      List<Reason> reasons,
      StatusProof statusProof,
      String certificate,
      String producedAt,
      String nextUpdate) {
    this(
        certificateSha256,
        status,
        log,
        index,
        entry,
        inclusionProof,
        checkpoint,
        null,
        revocation,
        reasons,
        statusProof,
        certificate,
        producedAt,
        nextUpdate);
  }

  /** This answer without its checkpoint note, for a client that holds it (it keeps the name). */
  public StatusAnswer withoutCheckpoint() {
    return withCheckpoint(null);
  }

  /** This answer with {@code note} as its checkpoint note (null: left out); the name is kept. */
  public StatusAnswer withCheckpoint(String note) {
    return new StatusAnswer(
        certificateSha256,
        status,
        log,
        index,
        entry,
        inclusionProof,
        note,
        checkpointSha256,
        revocation,
        reasons,
        statusProof,
        certificate,
        producedAt,
        nextUpdate);
  }

  /** This answer naming its checkpoint {@code sha256} (null: not named). */
  public StatusAnswer withCheckpointSha256(String sha256) {
    return new StatusAnswer(
        certificateSha256,
        status,
        log,
        index,
        entry,
        inclusionProof,
        checkpoint,
        sha256,
        revocation,
        reasons,
        statusProof,
        certificate,
        producedAt,
        nextUpdate);
  }

  /** This answer with {@code base64Der} as its certificate (null: left out). */
  public StatusAnswer withCertificate(String base64Der) {
    return new StatusAnswer(
        certificateSha256,
        status,
        log,
        index,
        entry,
        inclusionProof,
        checkpoint,
        checkpointSha256,
        revocation,
        reasons,
        statusProof,
        base64Der,
        producedAt,
        nextUpdate);
  }

  /**
   * Status-map proofs against the status line of the answer's checkpoint (docs/status.md): the
   * number of status events the line commits to; at the entry key, the entry's latest event (base64
   * of its encoding; null if it has none) with its compressed sparse Merkle tree proof (base64
   * bitmap and sibling hashes); at the compromised-key key of the entry's subject public key, the
   * event that reported the key compromised (null if none did) with its proof.
   */
  public record StatusProof(
      long count,
      String event,
      String bitmap,
      List<String> siblings,
      String keyEvent,
      String keyBitmap,
      List<String> keySiblings) {

    /**
     * The proofs a status log gives for an entry, as the current commitment of {@code log} has
     * them.
     */
    public static StatusProof from(
        org.ledgerpki.core.status.StatusLog log, org.ledgerpki.core.status.EntryId id) {
      return of(org.ledgerpki.core.status.EntryStatus.of(log, id));
    }

    /** The proofs in their JSON form, from their bytes. */
    public static StatusProof of(org.ledgerpki.core.status.EntryStatus s) {
      return new StatusProof(
          s.count(),
          base64(s.latestEncoded()),
          s.entryProof().bitmapBase64(),
          base64(s.entryProof().siblings()),
          base64(s.compromiseEncoded()),
          s.keyProof().bitmapBase64(),
          base64(s.keyProof().siblings()));
    }

    private static String base64(byte[] bytes) {
      return bytes == null ? null : B64.encodeToString(bytes);
    }

    private static List<String> base64(List<byte[]> hashes) {
      List<String> out = new java.util.ArrayList<>(hashes.size());
      for (byte[] h : hashes) {
        out.add(B64.encodeToString(h));
      }
      return out;
    }
  }

  private static final java.util.Base64.Encoder B64 = java.util.Base64.getEncoder();

  /**
   * The status a relying party is told for an entry of {@code log}: REVOKED if its key was reported
   * compromised, otherwise the entry's own state.
   */
  public static String statusOf(
      org.ledgerpki.core.status.StatusLog log, org.ledgerpki.core.status.EntryId id) {
    return log.effectiveState(id.leafHash(), id.spkiHash()).name();
  }

  /** A rejection reason with the validator that gave it. */
  public record Reason(String code, String detail, String validator) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  public static StatusAnswer fromJson(String json) throws MalformedInputException {
    try {
      StatusAnswer a = JSON.readValue(json, StatusAnswer.class);
      if (a == null || a.status() == null) {
        throw new MalformedInputException("status answer: no 'status' field");
      }
      return a;
    } catch (JsonProcessingException e) {
      throw new MalformedInputException(
          "status answer: not the expected JSON: " + e.getOriginalMessage(), e);
    }
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

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
 * @param checkpoint the cosigned checkpoint (signed note text) the proof is relative to
 * @param revocation null, or details of a revocation or suspension
 * @param reasons for REJECTED: why, per validator
 * @param statusProof the proof, in the status map committed by {@code checkpoint}, of the
 *     certificate's latest lifecycle event or of its absence (docs/status.md)
 * @param producedAt when the node produced the answer
 * @param nextUpdate when the answer goes stale
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
    Map<String, Object> revocation,
    List<Reason> reasons,
    StatusProof statusProof,
    String producedAt,
    String nextUpdate) {

  /**
   * A status-map proof: the number of status events the checkpoint commits to, the certificate's
   * latest event (base64 of its encoding; null if it has none), and the compressed sparse Merkle
   * tree proof (base64 bitmap and sibling hashes).
   */
  public record StatusProof(long count, String event, String bitmap, List<String> siblings) {}

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

package org.ledgerpki.inquiry.rest;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.ledgerpki.inquiry.index.LandmarkView;
import org.ledgerpki.inquiry.index.SubtreeView;
import org.ledgerpki.inquiry.query.ConsistencyProof;
import org.ledgerpki.inquiry.query.InquiryQueries;
import org.ledgerpki.inquiry.query.Lookup;
import org.ledgerpki.schemas.inquiry.InquiryJson;
import org.ledgerpki.schemas.inquiry.Landmark;

/** The log itself: checkpoint, consistency proofs, landmarks, and the trust bundle. */
@Path("/v1")
@Tag(name = "log", description = "Checkpoints, proofs, landmarks and the trust bundle")
@NonBlocking
public class LedgerResource {
  /** Plain text in UTF-8. */
  public static final String TEXT = "text/plain; charset=utf-8";

  @Inject InquiryQueries queries;
  @Context UriInfo uri;

  @GET
  @Path("checkpoint")
  @Operation(
      summary = "The latest cosigned checkpoint",
      description =
          "A C2SP tlog-checkpoint signed note, with the log's signature and at least the quorum of"
              + " cosignatures.")
  @APIResponse(
      responseCode = "200",
      description = "The signed note",
      content = @Content(mediaType = TEXT, schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(
      responseCode = "404",
      description = "No cosigned checkpoint yet",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description = "The node is catching up with the ledger",
      headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response checkpoint(
      @Parameter(description = "Log origin; the policy's log if absent") @QueryParam("log")
          String log) {
    return Requests.respond(queries.checkpoint(log), uri, v -> Response.ok(v.note(), TEXT).build());
  }

  @GET
  @Path("proof/consistency")
  @Operation(
      summary = "An RFC 9162 consistency proof between two tree sizes",
      description = "Requires 1 <= from <= to <= the latest cosigned tree size.")
  @APIResponse(
      responseCode = "200",
      description = "{\"from\":n,\"to\":m,\"proof\":[base64 hashes]}",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ConsistencyProof.class)))
  @APIResponse(
      responseCode = "400",
      description = "Missing, malformed or out-of-range sizes",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description = "The node is catching up with the ledger",
      headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response consistency(
      @Parameter(description = "The smaller tree size") @QueryParam("from") String from,
      @Parameter(description = "The larger tree size") @QueryParam("to") String to,
      @Parameter(description = "Log origin; the policy's log if absent") @QueryParam("log")
          String log) {
    return Requests.respond(
        queries.consistency(from, to, log),
        uri,
        v -> Response.ok(v, MediaType.APPLICATION_JSON).build());
  }

  @GET
  @Path("landmarks")
  @Operation(
      summary = "The landmark publication",
      description =
          "The MTC draft's format: '<last_landmark> <num_active_landmarks>' then"
              + " num_active_landmarks + 1 tree sizes, decreasing, one per line.")
  @APIResponse(
      responseCode = "200",
      description = "The publication",
      content = @Content(mediaType = TEXT, schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(
      responseCode = "503",
      description = "The node is catching up with the ledger",
      headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response landmarks(
      @Parameter(description = "Log origin; the policy's log if absent") @QueryParam("log")
          String log) {
    return text(queries.landmarks(log), TEXT);
  }

  @GET
  @Path("revocations")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Revoked and suspended entries as MTC serial ranges",
      description =
          "The entries of the log that the status map of the latest cosigned checkpoint records as"
              + " REVOKED or SUSPENDED, each with its index, serial ((log_number << 48) | index),"
              + " certificate hash, reason and status-log sequence, and the same merged into"
              + " half-open serial ranges [start, end), the draft's Revoked Ranges. The checkpoint"
              + " note is included; each entry's proof is what GET /v1/status/{sha256} serves.")
  @APIResponse(responseCode = "200", description = "The revocation list")
  @APIResponse(
      responseCode = "404",
      description = "The log has no cosigned checkpoint yet",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description = "The node is catching up with the ledger",
      headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response revocations(
      @Parameter(description = "Log origin; the policy's log if absent") @QueryParam("log")
          String log) {
    return Requests.respond(
        queries.revocations(log),
        uri,
        v -> Response.ok(InquiryJson.write(v), MediaType.APPLICATION_JSON).build());
  }

  @GET
  @Path("landmarks/subtrees")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The cosigned landmarks with their subtree hashes and cosignatures",
      description =
          "What a relying party needs to make the landmark subtrees trusted subtrees: each"
              + " subtree's hash and the ML-DSA-44 subtree/v1 cosignatures (timestamp 0) it"
              + " checks against its own cosigner keys and quorum. Not part of the MTC draft's"
              + " landmark publication, which carries tree sizes only.")
  @APIResponse(responseCode = "200", description = "The landmarks, oldest first")
  @APIResponse(
      responseCode = "503",
      description = "The node is catching up with the ledger",
      headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response landmarkSubtrees(
      @Parameter(description = "Log origin; the policy's log if absent") @QueryParam("log")
          String log) {
    return switch (queries.landmarkSubtrees(log)) {
      case Lookup.Found<List<LandmarkView>> f -> {
        Base64.Encoder b = Base64.getEncoder();
        List<Landmark> out = new ArrayList<>();
        for (LandmarkView lm : f.value()) {
          List<Landmark.Subtree> subtrees = new ArrayList<>();
          for (SubtreeView s : lm.subtrees()) {
            List<Landmark.Cosignature> sigs = new ArrayList<>();
            for (SubtreeView.Signature g : s.signatures()) {
              sigs.add(
                  new Landmark.Cosignature(
                      g.cosigner(), g.cosignerId(), b.encodeToString(g.signature())));
            }
            subtrees.add(
                new Landmark.Subtree(s.start(), s.end(), b.encodeToString(s.hash()), sigs));
          }
          out.add(new Landmark(lm.number(), lm.treeSize(), lm.previousTreeSize(), subtrees));
        }
        yield Response.ok(InquiryJson.write(out), MediaType.APPLICATION_JSON).build();
      }
      case Lookup.NotFound<List<LandmarkView>> n ->
          Problem.notFound(n.detail(), Requests.instance(uri));
      case Lookup.Invalid<List<LandmarkView>> i ->
          Problem.badRequest(i.fault(), Requests.instance(uri));
      case Lookup.NotReady<List<LandmarkView>> n ->
          Problem.notReady(n.retryAfter(), n.phase(), Requests.instance(uri));
    };
  }

  @GET
  @Path("trust")
  @Operation(
      summary = "The trust bundle this node follows",
      description =
          "Log and cosigner vkeys and the cosigner quorum, from the trust policy. For convenience"
              + " only: relying parties configure their trust anchors out of band.")
  @APIResponse(
      responseCode = "200",
      description = "The trust bundle",
      content = @Content(mediaType = MediaType.APPLICATION_JSON))
  @APIResponse(
      responseCode = "503",
      description = "The node is catching up with the ledger",
      headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response trust() {
    return text(queries.trust(), MediaType.APPLICATION_JSON);
  }

  private Response text(Lookup<String> lookup, String type) {
    return Requests.respond(lookup, uri, v -> Response.ok(v, type).build());
  }
}

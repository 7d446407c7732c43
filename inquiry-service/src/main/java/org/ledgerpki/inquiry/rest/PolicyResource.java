package org.ledgerpki.inquiry.rest;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
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
import org.ledgerpki.core.Hex;
import org.ledgerpki.inquiry.index.PolicyView;
import org.ledgerpki.inquiry.query.InquiryQueries;

/**
 * The consortium's policy chain (docs/governance.md): the newest policy and each policy by serial,
 * with the approvals that made it, for relying parties to verify offline ({@code ledgerpki trust
 * update}).
 */
@Path("/v1/policy")
@Tag(name = "policy", description = "The consortium's verified chain of trust policies")
@NonBlocking
public class PolicyResource {
  @Inject InquiryQueries queries;
  @Context UriInfo uri;

  /**
   * A policy as JSON.
   *
   * @param document base64 of the policy document's exact bytes
   * @param policySha256 hex SHA-256 of the document
   * @param previousPolicySha256 hex SHA-256 of the previous document; absent for the genesis policy
   * @param approvals the members' approvals of the change (empty for the genesis policy)
   */
  @Schema(name = "Policy")
  public record PolicyJson(
      long serial,
      String document,
      String policySha256,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          String previousPolicySha256,
      long effectiveIndex,
      long effectiveStatusSequence,
      List<ApprovalJson> approvals) {

    static PolicyJson of(PolicyView v) {
      Base64.Encoder b64 = Base64.getEncoder();
      return new PolicyJson(
          v.serial(),
          b64.encodeToString(v.document()),
          Hex.encode(v.sha256()),
          v.previousSha256() == null ? null : Hex.encode(v.previousSha256()),
          v.effectiveIndex(),
          v.effectiveStatusSequence(),
          v.approvals().stream()
              .map(
                  a ->
                      new ApprovalJson(
                          a.member(), a.signedAt().toString(), b64.encodeToString(a.signature())))
              .toList());
    }
  }

  /**
   * One approval: the member, when it signed (RFC 3339), and its base64 signature over the approval
   * statement.
   */
  @Schema(name = "PolicyApproval")
  public record ApprovalJson(String member, String signedAt, String signature) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The newest policy of the verified chain",
      description =
          "The newest trust policy this node holds, each step of whose chain from the genesis"
              + " policy verified (docs/governance.md).")
  @APIResponse(
      responseCode = "200",
      description = "The policy",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = PolicyJson.class)))
  @APIResponse(
      responseCode = "503",
      description = "The node is catching up with the ledger",
      headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response newest() {
    return Requests.respond(
        queries.newestPolicy(),
        uri,
        v -> Response.ok(PolicyJson.of(v), MediaType.APPLICATION_JSON).build());
  }

  @GET
  @Path("{serial}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The policy of a serial",
      description =
          "The policy of that serial in the verified chain; the genesis policy (serial 1 usually)"
              + " has no previous hash and no approvals.")
  @APIResponse(
      responseCode = "200",
      description = "The policy",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = PolicyJson.class)))
  @APIResponse(
      responseCode = "400",
      description = "The serial is not a positive decimal number",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "404",
      description = "No policy of that serial in the chain",
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
  public Response bySerial(
      @Parameter(description = "The policy serial, decimal") @PathParam("serial") String serial) {
    return Requests.respond(
        queries.policy(serial),
        uri,
        v -> Response.ok(PolicyJson.of(v), MediaType.APPLICATION_JSON).build());
  }
}

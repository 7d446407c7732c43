package org.ledgerpki.inquiry.rest;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.inquiry.query.CertificateInput;
import org.ledgerpki.inquiry.query.InquiryQueries;

/** {@code /v1/status}: a certificate's status with the proofs to check it offline. */
@Path("/v1/status")
@Tag(name = "status", description = "Certificate status with offline-verifiable proofs")
@NonBlocking
public class StatusResource {
  @Inject InquiryQueries queries;
  @Context UriInfo uri;

  @GET
  @Path("{sha256}")
  @Produces({MediaType.APPLICATION_JSON, CompactAnswer.MEDIA_TYPE})
  @Operation(
      summary = "Status of a certificate by its SHA-256",
      description =
          "GOOD answers carry the MTC log entry, its inclusion proof and the cosigned checkpoint"
              + " the proof is relative to; verify them offline (core/verify/StatusVerifier).")
  @APIResponse(
      responseCode = "200",
      description =
          "GOOD, REVOKED, SUSPENDED, PENDING or REJECTED. With Accept: "
              + CompactAnswer.MEDIA_TYPE
              + ", GOOD, REVOKED and SUSPENDED come in the compact binary form (docs/inquiry-api.md)",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StatusAnswer.class)),
        @Content(
            mediaType = CompactAnswer.MEDIA_TYPE,
            schema = @Schema(type = SchemaType.STRING, format = "binary"))
      })
  @APIResponse(
      responseCode = "404",
      description = "Unknown certificate: the body's status is UNKNOWN",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = StatusAnswer.class)))
  @APIResponse(
      responseCode = "400",
      description = "Not 64 hex characters, or a malformed X-Checkpoint-Held header",
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
  /**
   * The status by hash. {@link StatusRoute} serves {@code GET} requests of this path ahead of
   * JAX-RS, with the same {@link StatusReply}; this method describes the operation in the OpenAPI
   * document and answers what the route passes on ({@code HEAD}, and an {@code Accept} neither form
   * satisfies, which JAX-RS answers 406).
   */
  public Response byHash(
      @Parameter(description = "SHA-256 of the certificate's DER, 64 hex characters")
          @PathParam("sha256")
          String sha256,
      @Parameter(description = HELD_DESCRIPTION) @HeaderParam(AnswerForms.HELD_HEADER) String held,
      @HeaderParam(HttpHeaders.ACCEPT) String accept) {
    return StatusReply.of(
            AnswerForms.parse(accept, held),
            form -> queries.status(sha256, form),
            Requests.instance(uri))
        .toResponse();
  }

  private static final String HELD_DESCRIPTION =
      "The checkpoints the client holds, by checkpointSha256 (64 hex characters, up to 8,"
          + " comma-separated): an answer proved against one of them leaves its note out";

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.APPLICATION_JSON, CompactAnswer.MEDIA_TYPE})
  @Operation(
      summary = "Status of the certificate in the body",
      description =
          "The body is one certificate, PEM (application/x-pem-file) or DER"
              + " (application/pkix-cert), at most 64 KiB.")
  @RequestBody(
      content = {
        @Content(mediaType = CertificateInput.PEM, schema = @Schema(type = SchemaType.STRING)),
        @Content(
            mediaType = CertificateInput.DER,
            schema = @Schema(type = SchemaType.STRING, format = "binary"))
      })
  @APIResponse(
      responseCode = "200",
      description =
          "GOOD, REVOKED, SUSPENDED, PENDING or REJECTED. With Accept: "
              + CompactAnswer.MEDIA_TYPE
              + ", GOOD, REVOKED and SUSPENDED come in the compact binary form (docs/inquiry-api.md)",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StatusAnswer.class)),
        @Content(
            mediaType = CompactAnswer.MEDIA_TYPE,
            schema = @Schema(type = SchemaType.STRING, format = "binary"))
      })
  @APIResponse(
      responseCode = "404",
      description = "Unknown certificate: the body's status is UNKNOWN",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = StatusAnswer.class)))
  @APIResponse(
      responseCode = "400",
      description =
          "Not a certificate, unsupported content type, a body larger than 64 KiB, or a malformed"
              + " X-Checkpoint-Held header",
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
  public Response byCertificate(
      byte[] body,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @Parameter(description = HELD_DESCRIPTION) @HeaderParam(AnswerForms.HELD_HEADER) String held,
      @HeaderParam(HttpHeaders.ACCEPT) String accept) {
    return StatusReply.of(
            AnswerForms.parse(accept, held),
            form -> queries.status(body, contentType, form),
            Requests.instance(uri))
        .toResponse();
  }
}

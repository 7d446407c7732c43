package org.ledgerpki.inquiry.rest;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.ledgerpki.inquiry.query.CertificateInput;
import org.ledgerpki.inquiry.query.InquiryQueries;
import org.ledgerpki.inquiry.query.Lookup;

/** {@code /v1/certificates}: the certificates in the ledger, PEM or DER. */
@Path("/v1/certificates")
@Tag(name = "certificates", description = "Certificates held in the ledger")
@NonBlocking
public class CertificateResource {
  private static final Base64.Encoder MIME =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  @Inject InquiryQueries queries;
  @Context UriInfo uri;

  @GET
  @Path("{sha256}")
  @Operation(
      summary = "The submitted certificate",
      description = "PEM by default; DER with Accept: application/pkix-cert.")
  @APIResponse(
      responseCode = "200",
      description = "The certificate",
      content = {
        @Content(mediaType = CertificateInput.PEM, schema = @Schema(type = SchemaType.STRING)),
        @Content(
            mediaType = CertificateInput.DER,
            schema = @Schema(type = SchemaType.STRING, format = "binary"))
      })
  @APIResponse(
      responseCode = "404",
      description = "No such certificate in a log",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "400",
      description = "Not 64 hex characters",
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
  public Response certificate(
      @Parameter(description = "SHA-256 of the certificate's DER, 64 hex characters")
          @PathParam("sha256")
          String sha256,
      @HeaderParam(HttpHeaders.ACCEPT) String accept) {
    return certificateResponse(queries.certificate(sha256), accept);
  }

  @GET
  @Path("{sha256}/mtc")
  @Operation(
      summary = "The MTC certificate of the entry",
      description =
          "A Merkle Tree Certificate (draft-ietf-plants-merkle-tree-certs) for the certificate's"
              + " entry: the landmark-relative form once an active cosigned landmark covers it,"
              + " the standalone form (with ML-DSA-44 subtree cosignatures) otherwise. The"
              + " X-MTC-Form header says which. PEM by default; DER with Accept:"
              + " application/pkix-cert.")
  @APIResponse(
      responseCode = "200",
      description = "The MTC certificate",
      headers =
          @Header(name = "X-MTC-Form", schema = @Schema(enumeration = {"landmark", "standalone"})),
      content = {
        @Content(mediaType = CertificateInput.PEM, schema = @Schema(type = SchemaType.STRING)),
        @Content(
            mediaType = CertificateInput.DER,
            schema = @Schema(type = SchemaType.STRING, format = "binary"))
      })
  @APIResponse(
      responseCode = "404",
      description = "Not in a log, or no cosigned subtree or landmark covers the entry yet",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "400",
      description = "Not 64 hex characters",
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
  public Response mtc(
      @Parameter(description = "SHA-256 of the submitted certificate's DER, 64 hex characters")
          @PathParam("sha256")
          String sha256,
      @HeaderParam(HttpHeaders.ACCEPT) String accept) {
    return Requests.respond(
        queries.mtcCertificate(sha256),
        uri,
        v ->
            (wantsDer(accept)
                    ? Response.ok(v.der(), CertificateInput.DER)
                    : Response.ok(pem(v.der()), CertificateInput.PEM))
                .header("X-MTC-Form", v.form())
                .build());
  }

  Response certificateResponse(Lookup<byte[]> lookup, String accept) {
    return Requests.respond(
        lookup,
        uri,
        v ->
            wantsDer(accept)
                ? Response.ok(v, CertificateInput.DER).build()
                : Response.ok(pem(v), CertificateInput.PEM).build());
  }

  /** DER if the Accept header names application/pkix-cert before (or without) PEM. */
  static boolean wantsDer(String accept) {
    if (accept == null) {
      return false;
    }
    String a = accept.toLowerCase(Locale.ROOT);
    int der = a.indexOf(CertificateInput.DER);
    if (der < 0) {
      return false;
    }
    int pem = a.indexOf(CertificateInput.PEM);
    return pem < 0 || der < pem;
  }

  /** The PEM text of a DER certificate. */
  static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + MIME.encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }
}

/**
 * Merkle Tree Certificates (draft-ietf-plants-merkle-tree-certs): the log entry, proof and
 * certificate formats, landmarks, and the relying-party verifier.
 *
 * <ul>
 *   <li>{@link org.ledgerpki.core.mtc.MtcLogEntry} and {@link
 *       org.ledgerpki.core.mtc.TbsCertificateLogEntry}: the leaves of an issuance log, built from a
 *       vendor's submitted certificate (ledger side) or from an MTC certificate (relying party).
 *   <li>{@link org.ledgerpki.core.mtc.MtcProof} and {@link org.ledgerpki.core.mtc.MtcCertificate}:
 *       the {@code signatureValue} and the X.509 certificate that carries it.
 *   <li>{@link org.ledgerpki.core.mtc.LandmarkSequence}, {@link
 *       org.ledgerpki.core.mtc.LandmarkAllocator} and {@link
 *       org.ledgerpki.core.mtc.LandmarkPublication}: landmarks, their subtrees and their text
 *       format.
 *   <li>{@link org.ledgerpki.core.mtc.MtcVerifier}: "Verifying Certificate Signatures" against
 *       {@link org.ledgerpki.core.mtc.TrustedSubtree}s, {@link
 *       org.ledgerpki.core.mtc.RevokedRange}s and an optional {@link
 *       org.ledgerpki.core.mtc.CosignerPolicy}.
 * </ul>
 *
 * <p>Experimental OIDs from the draft: {@code 1.3.6.1.4.1.44363.47.0} for {@code id-alg-mtcProof}
 * and {@code 1.3.6.1.4.1.44363.47.1} (UTF8String value) for the CA ID name attribute. Hashes are
 * SHA-256. X.509 fields are handled as exact DER slices by a small strict DER reader; Bouncy Castle
 * is not used here. Parse failures are {@link org.ledgerpki.core.MalformedInputException}; a
 * certificate that was examined and rejected is a {@link
 * org.ledgerpki.core.mtc.MtcVerificationException}. No I/O.
 */
package org.ledgerpki.core.mtc;

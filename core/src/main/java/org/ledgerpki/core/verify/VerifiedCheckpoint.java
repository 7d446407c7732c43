package org.ledgerpki.core.verify;

import java.util.List;
import org.ledgerpki.core.tlog.Checkpoint;

/**
 * A checkpoint whose log signature and cosigner quorum verified.
 *
 * @param cosigners the distinct cosigner names whose signatures verified, sorted
 * @param bodyCosigners those among them whose Ed25519 {@code cosignature/v1} signature verified:
 *     only these cover the checkpoint's extension lines (the status commitment)
 * @param latestCosignatureTime the newest cosignature timestamp (POSIX seconds), 0 if none carry
 *     one
 */
public record VerifiedCheckpoint(
    Checkpoint checkpoint,
    String note,
    List<String> cosigners,
    List<String> bodyCosigners,
    long latestCosignatureTime) {}

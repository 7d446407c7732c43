/**
 * Landmarks: the cosigner's landmark signer ({@link org.ledgerpki.cosign.landmarks.LandmarkSigner})
 * and the aggregator's landmark decisions ({@link
 * org.ledgerpki.cosign.landmarks.LandmarkAllocation}, {@link
 * org.ledgerpki.cosign.landmarks.PendingLandmark}).
 */
package org.ledgerpki.cosign.landmarks;

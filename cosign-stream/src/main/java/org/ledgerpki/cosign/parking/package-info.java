/**
 * The cosigner's parking lot: checkpoints and landmarks that arrived before the mirror could handle
 * them wait here ({@link org.ledgerpki.cosign.parking.ParkingLot}) and are handed back, in size
 * order, as the mirror moves on.
 */
package org.ledgerpki.cosign.parking;

package dev.forklift.sync;

import java.io.Serializable;

/**
 * What a {@link SharedBarrier} runs when its last party arrives, in that party's process and thread, before any party
 * goes on. Serializable: it travels with the barrier to the children it is passed to. An action that throws breaks
 * the barrier ({@link BarrierBrokenException.Reason#ACTION_FAILED}).
 */
@FunctionalInterface
public interface BarrierAction extends Runnable, Serializable {
}

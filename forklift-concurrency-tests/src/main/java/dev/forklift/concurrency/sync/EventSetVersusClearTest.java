package dev.forklift.concurrency.sync;

import dev.forklift.sync.SharedEvent;
import dev.forklift.sync.SyncRig;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A set of a clear event races a waiter that began its wait before it, looks once, and clears the event if its wait
 * is over (as a ping-pong does after every wake-up). Whatever the order, a waiter that woke leaves the event clear
 * (its clear comes after the set that woke it), and one that did not wake leaves it set (the set is not lost).
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "woke, then cleared the set that woke it")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "looked before the set; the event stays set")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "woke before the flag was written: the set undid the clear")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "the set was lost")
@State
public class EventSetVersusClearTest {
    private final SharedEvent setter;
    private final SharedEvent waiter;
    private final long begun;
    private int woke;

    public EventSetVersusClearTest() {
        final SyncRig rig = SyncRig.event();
        setter = rig.eventAs(2001);
        waiter = rig.eventAs(2002);
        begun = SyncRig.waitBegins(waiter);
    }

    @Actor
    public void set() {
        setter.set();
    }

    @Actor
    public void lookOnceThenClear() {
        if (SyncRig.wokenSince(waiter, begun)) {
            woke = 1;
            waiter.clear();
        }
    }

    @Arbiter
    public void inspect(final II_Result r) {
        r.r1 = woke;
        r.r2 = setter.isSet() ? 1 : 0;
    }
}

package dev.forklift.concurrency.sync;

import dev.forklift.sync.SharedMap;
import dev.forklift.sync.SyncRig;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A writer process overwrites an entry of the shared map (32 a's by 32 b's) while a reader process reads it without
 * any lock. The slot's seqlock makes the reader see the old value or the new one, whole: never a mix of both.
 */
@JCStressTest
@Outcome(id = "1", expect = ACCEPTABLE, desc = "the old value, whole")
@Outcome(id = "2", expect = ACCEPTABLE, desc = "the new value, whole")
@Outcome(expect = FORBIDDEN, desc = "a torn value, or none")
@State
public class MapSeqlockTest {
    private static final String OLD = "a".repeat(32);
    private static final String NEW = "b".repeat(32);

    private final SyncRig rig = SyncRig.map();
    private final SharedMap<String, String> writer = rig.mapAs(2001);
    private final SharedMap<String, String> reader = rig.mapAs(2002);

    public MapSeqlockTest() {
        writer.put("doc", OLD);
    }

    @Actor
    public void writerProcess() {
        writer.put("doc", NEW);
    }

    @Actor
    public void readerProcess(final I_Result r) {
        final String seen = reader.get("doc");
        r.r1 = OLD.equals(seen) ? 1 : NEW.equals(seen) ? 2 : 0;
    }
}

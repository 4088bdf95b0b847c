package dev.forklift.concurrency;

import dev.forklift.queue.internal.NamespaceGuard;
import dev.forklift.queue.internal.QueueDescriptor;
import dev.forklift.shm.AtomicMemory;
import dev.forklift.shm.PidNamespace;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.nio.ByteBuffer;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A process of another pid namespace attaches (setting the queue's "mixed namespaces" flag) and then holds a slot
 * with its pid, which names no live process here; a repairer of the creator's namespace reads the holder pid and
 * asks whether it may take the holder for dead. It must never judge a foreign holder pid it has seen without also
 * seeing the flag.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the repairer saw no holder yet")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the repairer saw the foreign holder and the flag: no repair")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "the foreign holder was judged dead by its pid")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class MixedNamespaceFlagTest {
    /** Above any pid_max: a pid that is dead in this namespace. */
    private static final int FOREIGN_PID = Integer.MAX_VALUE;
    private static final int HOLDER_OFFSET = QueueDescriptor.HEADER_LENGTH + QueueDescriptor.SLOT_HOLDER_PID_OFFSET;

    private final AtomicMemory buffer = new AtomicMemory(ByteBuffer.allocateDirect(QueueDescriptor.HEADER_LENGTH
        + 128));

    public MixedNamespaceFlagTest() {
        // The queue was made in another namespace than this process's: attaching here marks it mixed.
        buffer.putLong(QueueDescriptor.PID_NAMESPACE_OFFSET, PidNamespace.current() + 1);
    }

    @Actor
    public void foreignAttacherClaims() {
        NamespaceGuard.noteAttacher(buffer);
        buffer.putIntRelease(HOLDER_OFFSET, FOREIGN_PID);
    }

    @Actor
    public void repairer(final II_Result r) {
        final int pid = buffer.getIntVolatile(HOLDER_OFFSET);
        r.r1 = pid == FOREIGN_PID ? 1 : pid;
        r.r2 = pid != 0 && NamespaceGuard.holderKnownDead(buffer, pid) ? 1 : 0;
    }
}

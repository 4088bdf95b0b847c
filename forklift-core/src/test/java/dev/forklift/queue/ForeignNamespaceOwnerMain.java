package dev.forklift.queue;

import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.shm.PidNamespace;

/**
 * A JVM that a test starts in a new pid namespace ({@code unshare --pid --fork --mount-proc}): it prints its pid
 * namespace and pid as this namespace sees them, creates a queue in the shared directory, prints the file's path,
 * and keeps it until its standard input ends.
 */
public final class ForeignNamespaceOwnerMain {
    private ForeignNamespaceOwnerMain() {
    }

    /**
     * @param args none.
     * @throws Exception if the queue cannot be made.
     */
    public static void main(final String[] args) throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).name("foreign-ns").build()) {
            System.out.println("namespace=" + PidNamespace.current());
            System.out.println("pid=" + ProcessHandle.current().pid());
            System.out.println("queue=" + ((SharedQueue<String>) queue).path());
            System.out.flush();
            while (System.in.read() != -1) {
                // Wait for the test to close our standard input.
            }
        }
    }
}

package dev.forklift.sync;

import dev.forklift.queue.Queue;

import java.util.concurrent.TimeUnit;

/** Run in a JVM that Forklift did not start: opens queues and a joinable queue by name and works on them. */
public final class OpenQueueByNameMain {
    private OpenQueueByNameMain() {
    }

    /** @param args the common prefix of the names. */
    public static void main(final String[] args) throws Exception {
        final String prefix = args[0];
        final Queue<String> requests = Queue.open(prefix + "-requests", String.class);
        final Queue<String> replies = Queue.open(prefix + "-replies", String.class);
        System.out.println("request " + requests.poll(30, TimeUnit.SECONDS));
        replies.put("pong");
        final JoinableQueue<String> jobs = JoinableQueue.open(prefix + "-jobs", String.class);
        System.out.println("job " + jobs.poll(30, TimeUnit.SECONDS));
        jobs.taskDone();
    }
}

package dev.tsconnect.host;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;

/**
 * The JVM plugin host's entry point. The worker talks to it over this process's stdin and stdout in length-prefixed
 * frames (see Channel); plugins that print to System.out would corrupt that stream, so System.out is pointed at
 * stderr before any plugin class is loaded, and the frames use the original stdout file descriptor; System.in is
 * an empty stream for the same reason.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        BufferedOutputStream frames = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, "UTF-8"));
        // Likewise a plugin that reads System.in (FileStreamSource without a file) must not steal the frames.
        System.setIn(new ByteArrayInputStream(new byte[0]));
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        Host host = new Host(new Channel(frames));
        host.run(in);
        // stdin closed: the worker is gone (or stopped us); nothing here outlives it.
        System.exit(0);
    }
}

/*
 * hello-world for Berth: the program inside the hello-world image (Cmd ["/hello"]).
 * Like Docker's own, it prints what just happened and exits 0. It uses no C library,
 * only the write and exit system calls, so the image holds one file of a few KB.
 * Built by scripts/images/build.mjs with the host's gcc: -m32 -static -nostdlib.
 */

static const char message[] =
    "\n"
    "Hello from Berth!\n"
    "This message shows that your playground appears to be working correctly:\n"
    "a real container just ran inside the Linux VM in your browser tab.\n"
    "\n"
    "To generate this message, these steps happened:\n"
    " 1. The docker client in the VM sent your command to the Docker daemon.\n"
    "    In Berth the daemon is the Berth engine, which plays dockerd and\n"
    "    containerd from outside the VM.\n"
    " 2. The daemon did not have the \"hello-world\" image, so it pulled it from\n"
    "    Berth's offline image set.\n"
    "    (i386)\n"
    " 3. The daemon created a new container from that image and asked crun, a\n"
    "    real OCI runtime in the VM, to start it: this program, in namespaces\n"
    "    and a cgroup of its own, produced the output you are reading.\n"
    " 4. The daemon streamed that output to the docker client, which sent it\n"
    "    to your terminal.\n"
    "\n"
    "To try something more ambitious, you can run a Debian container with:\n"
    " $ docker run -it debian:bookworm-slim bash\n"
    "\n"
    "The container you just ran has exited but still exists. See it with:\n"
    " $ docker ps -a\n"
    "\n";

static long sys3(long nr, long a, long b, long c) {
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return ret;
}

void _start(void) {
    const char *p = message;
    long left = sizeof message - 1;
    int status = 0;
    while (left > 0) {
        long n = sys3(4 /* write */, 1, (long)p, left);
        if (n == -4 /* EINTR */) continue;
        if (n <= 0) {
            status = 1;
            break;
        }
        p += n;
        left -= n;
    }
    for (;;) sys3(1 /* exit */, status, 0, 0);
}

#!/usr/bin/env python3
"""Side by side, in one run: a Dreamwell portal vs Syncthing 1.19 (../shared/anchors/syncthing_pair.py), both on loopback.
1. First sync of N files of 1-40 KB (default 10,000), from both processes started to the destination complete.
2. Time for a change on one side to appear on the other (Dreamwell only; median of several).
3. --rsync: bytes sent for a 256 MiB file with 1 % scattered edits, portal vs `rsync --no-whole-file` (local delta transfer).
Prints one 'key=value' line per figure. Usage: bench/portal-vs-syncthing.sh [--files N] [--changes K] [--rounds R] [--rsync] [--skip-syncthing]"""
import argparse, json, os, random, shutil, statistics, subprocess, sys, tempfile, time

p = argparse.ArgumentParser()
p.add_argument('--files', type=int, default=10000)
p.add_argument('--changes', type=int, default=7)
p.add_argument('--rsync', action='store_true')
p.add_argument('--skip-syncthing', action='store_true')
p.add_argument('--rounds', type=int, default=1, help='first syncs, Syncthing then portal, alternated this many times (medians reported)')
p.add_argument('--base-port', type=int, default=23000)
a = p.parse_args()

repo = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
dream = os.path.join(repo, 'out/dream/dream')
anchor = os.path.abspath(os.path.join(repo, '..', 'shared', 'anchors', 'syncthing_pair.py'))
work = tempfile.mkdtemp(prefix='portal-bench-')

def file_count(root):
    return sum(len(fs) for _, _, fs in os.walk(root))

def tree_stats(root):
    files = size = 0
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.startswith('.dreamsync-tmp-'): return None
            files += 1; size += os.path.getsize(os.path.join(d, f))
    return files, size

def make_tree(root, n, seed=1):
    rnd = random.Random(seed)
    for i in range(n):
        d = os.path.join(root, f'd{i % 100:03d}'); os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f'f{i:05d}.bin'), 'wb') as f: f.write(rnd.randbytes(rnd.randint(1024, 40 * 1024)))

def run(env_home, *args, capture=False):
    env = dict(os.environ, DREAMWELL_HOME=env_home)
    r = subprocess.run([dream, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0: sys.exit(f'dream {" ".join(args)} failed: {r.stderr or r.stdout}')
    return r.stdout.strip()

class Pair:
    """Two dream nodes (fresh homes) sharing SRC -> DST through a portal; timing starts when both processes start."""
    def __init__(self, src, dst, base):
        self.homes = [os.path.join(work, f'home-{base}-a'), os.path.join(work, f'home-{base}-b')]
        self.ports = [(base + 10, base + 1), (base + 11, base + 2)]
        key = run(self.homes[0], '-NoProfile', '-c', f"(New-Portal -Path '{src}' -Address 127.0.0.1:{self.ports[0][1]} -WarningAction SilentlyContinue).Key")
        run(self.homes[1], '-NoProfile', '-c', f"$null = Connect-Portal -Key '{key}' -Path '{dst}' -WarningAction SilentlyContinue")
        self.t0 = time.time()
        self.procs = [subprocess.Popen([dream, 'tesseract', 'start', '--control-port', str(c), '--peer-port', str(pp), '--no-discovery'],
                                       env=dict(os.environ, DREAMWELL_HOME=h), stdout=open(h + '.log', 'w'), stderr=subprocess.STDOUT)
                      for h, (c, pp) in zip(self.homes, self.ports)]
    def report(self, i):
        return json.loads(run(self.homes[i], '-NoProfile', '-c', 'Sync-Portal | ConvertTo-Json -Compress -AsArray'))[0]
    def wire_bytes(self):
        """TCP payload bytes (owner to member, member to owner) on the link so far, from the owner's socket (ss -ti)."""
        out = subprocess.run(['ss', '-tinH', 'state', 'established', f'( sport = :{self.ports[0][1]} )'], stdout=subprocess.PIPE, text=True).stdout
        sent = received = 0
        for field in out.split():
            if field.startswith('bytes_sent:'): sent += int(field.split(':')[1])
            elif field.startswith('bytes_received:'): received += int(field.split(':')[1])
        return sent, received
    def stop(self):
        for h in self.homes:
            subprocess.run([dream, 'tesseract', 'stop'], env=dict(os.environ, DREAMWELL_HOME=h), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for pr in self.procs:
            try: pr.wait(20)
            except subprocess.TimeoutExpired: pr.kill()

def wait_for(predicate, timeout, what, every=0.05):
    end = time.time() + timeout
    while time.time() < end:
        if predicate(): return True
        time.sleep(every)
    sys.exit(f'timed out after {timeout} s waiting for {what}')

try:
    src = os.path.join(work, 'src'); make_tree(src, a.files)
    files, size = tree_stats(src)
    print(f'input: files={files} bytes={size} load_average={os.getloadavg()[0]:.2f}', flush=True)

    # The machine is shared: rounds alternate the two so that load changes hit both, and each round's ratio compares
    # runs minutes apart. Destinations are kept until the end: on this ext4 (no journal) every file created within ~30 s
    # of a mass deletion walks past the just-freed inodes (find_inode_bit -> recently_deleted; a third of the receiving
    # side's CPU in perf), so deleting one run's copy would slow whichever run came next.
    ratios, portal_times, syncthing_times = [], [], []
    for r in range(a.rounds):
        if not a.skip_syncthing:
            if not os.path.exists(anchor): sys.exit(f'missing anchor {anchor}')
            out = subprocess.run([sys.executable, anchor, src, os.path.join(work, f'dst-syncthing-{r}'), '--base-port', '22000'],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout.strip().splitlines()
            print(f'round={r} {out[-1]} load_average={os.getloadavg()[0]:.2f}', flush=True)
            st = float(out[-1].split('syncthing_seconds=')[1].split()[0])
            syncthing_times.append(st)

        dst = os.path.join(work, f'dst-portal-{r}')
        pair = Pair(src, dst, a.base_port + 200 * r)
        try:
            # Polled like the anchor polls Syncthing's REST status (every 0.2 s, cheaply: a file count), then checked in full.
            wait_for(lambda: os.path.isdir(dst) and file_count(dst) >= files and tree_stats(dst) == (files, size), 600, 'the first portal sync', every=0.2)
            dt = time.time() - pair.t0
            portal_times.append(dt)
            print(f'round={r} portal_seconds={dt:.2f} files={files} bytes={size} load_average={os.getloadavg()[0]:.2f}', flush=True)
            if not a.skip_syncthing:
                ratios.append(dt / st)
                print(f'round={r} ratio_portal_over_syncthing={dt / st:.2f}', flush=True)
            if r < a.rounds - 1:
                pair.stop()
                continue
        except BaseException:
            pair.stop(); raise
    print(f'median_portal_seconds={statistics.median(portal_times):.2f}' + ('' if a.skip_syncthing else
          f' median_syncthing_seconds={statistics.median(syncthing_times):.2f} median_ratio_portal_over_syncthing={statistics.median(ratios):.2f}'), flush=True)
    try:
        latencies = []
        for k in range(a.changes):
            name = f'change-{k}.txt'; body = os.urandom(4096)
            with open(os.path.join(src, name + '.part'), 'wb') as f: f.write(body)
            t = time.time(); os.rename(os.path.join(src, name + '.part'), os.path.join(src, name))
            target = os.path.join(dst, name)
            wait_for(lambda: os.path.exists(target) and os.path.getsize(target) == 4096, 60, f'change {k}')
            latencies.append(time.time() - t)
            time.sleep(0.3)
        print(f'change_latency_median_s={statistics.median(latencies):.3f} max_s={max(latencies):.3f} n={len(latencies)} load_average={os.getloadavg()[0]:.2f}', flush=True)
        print('change_latencies_s=' + ','.join(f'{x:.3f}' for x in latencies), flush=True)
    finally:
        pair.stop()

    if a.rsync:
        rnd = random.Random(42)
        big_src = os.path.join(work, 'big-src'); os.makedirs(big_src)
        data = bytearray(b"".join(rnd.randbytes(1 << 20) for _ in range(256)))
        with open(os.path.join(big_src, 'big.bin'), 'wb') as f: f.write(data)
        rsync_dst = os.path.join(work, 'big-rsync'); shutil.copytree(big_src, rsync_dst)
        portal_dst = os.path.join(work, 'big-portal')
        pair = Pair(big_src, portal_dst, a.base_port + 100)
        try:
            wait_for(lambda: tree_stats(portal_dst) == (1, 256 << 20) if os.path.isdir(portal_dst) else False, 600, 'the 256 MiB first sync')
            before = pair.report(1); wire_before = pair.wire_bytes()
            edits = 1000; edit = (256 << 20) // 100 // edits  # 1 % of the bytes, in 1,000 scattered edits
            for _ in range(edits):
                at = rnd.randrange(0, len(data) - edit); data[at:at + edit] = rnd.randbytes(edit)
            with open(os.path.join(big_src, 'big.bin.part'), 'wb') as f: f.write(data)
            os.replace(os.path.join(big_src, 'big.bin.part'), os.path.join(big_src, 'big.bin'))
            def synced():
                try:
                    with open(os.path.join(portal_dst, 'big.bin'), 'rb') as f: return f.read() == bytes(data)
                except OSError: return False
            wait_for(synced, 600, 'the edited 256 MiB file')
            after = pair.report(1); wire_after = pair.wire_bytes()
        finally:
            pair.stop()
        portal_bytes = after['BytesReceived'] - before['BytesReceived']
        # Everything on the wire for the edit, both ways: chunk data, the file's new index entry, requests, framing,
        # encryption, heartbeats (measured on the owner's TCP socket around the edit).
        wire_sent, wire_received = wire_after[0] - wire_before[0], wire_after[1] - wire_before[1]
        stats = subprocess.run(['rsync', '-a', '--no-whole-file', '--stats', big_src + '/', rsync_dst + '/'], stdout=subprocess.PIPE, text=True).stdout
        def stat(name): return int([l for l in stats.splitlines() if l.startswith(name)][0].split(':')[1].strip().split()[0].replace(',', ''))
        sent, received, literal = stat('Total bytes sent'), stat('Total bytes received'), stat('Literal data')
        print(f'delta_portal_chunk_bytes={portal_bytes} rsync_literal={literal} ratio_chunk_over_literal={portal_bytes / literal:.3f}', flush=True)
        print(f'portal_wire_owner_to_member={wire_sent} portal_wire_member_to_owner={wire_received} rsync_total_bytes_sent={sent} rsync_total_bytes_received={received} '
              f'ratio_portal_wire_sent_over_rsync_sent={wire_sent / sent:.3f} ratio_portal_wire_both_over_rsync_both={(wire_sent + wire_received) / (sent + received):.3f} load_average={os.getloadavg()[0]:.2f}', flush=True)
finally:
    shutil.rmtree(work, ignore_errors=True)

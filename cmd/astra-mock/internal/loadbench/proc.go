package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// rssSampleEvery is how often watchRSS reads the resident set.
	rssSampleEvery = 2 * time.Millisecond
	// userHZ is the unit of the times in /proc/PID/stat (USER_HZ, 100 on
	// every architecture Go supports but alpha, which it does not).
	userHZ = 100
)

// readCPU is the CPU time pid has used, user and system. It fails where
// there is no /proc (any system but Linux).
func readCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: count the
	// fields after it (utime and stime are the 14th and 15th of all).
	i := bytes.LastIndexByte(data, ')')
	fields := strings.Fields(string(data[i+1:]))
	if i < 0 || len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %q does not parse", pid, data)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// readStatus reads one "kB" field of /proc/PID/status (VmRSS, VmHWM) in
// bytes. It fails where there is no /proc (any system but Linux).
func readStatus(pid int, field string) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range bytes.Lines(data) {
		rest, ok := bytes.CutPrefix(line, []byte(field+":"))
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/status: %s: %w", pid, field, err)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, field)
}

// rssWatch follows the highest resident set of a process from its start to
// its stop.
type rssWatch struct {
	pid      int
	hwmReset bool // VmHWM was reset at the start: it is the peak since then
	done     chan struct{}
	wg       sync.WaitGroup
	peak     int64
}

// watchRSS starts following pid's resident set. It resets the kernel's
// peak (VmHWM, through /proc/PID/clear_refs) where it may, and samples
// VmRSS besides, which catches most of a peak where it may not.
func watchRSS(pid int) *rssWatch {
	w := &rssWatch{pid: pid, done: make(chan struct{})}
	w.hwmReset = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
	w.wg.Go(func() {
		tick := time.NewTicker(rssSampleEvery)
		defer tick.Stop()
		for {
			if rss, err := readStatus(pid, "VmRSS"); err == nil {
				w.peak = max(w.peak, rss)
			}
			select {
			case <-w.done:
				return
			case <-tick.C:
			}
		}
	})
	return w
}

// stop ends the watch and returns the peak resident set it saw.
func (w *rssWatch) stop() int64 {
	close(w.done)
	w.wg.Wait()
	if rss, err := readStatus(w.pid, "VmRSS"); err == nil {
		w.peak = max(w.peak, rss)
	}
	if w.hwmReset {
		if hwm, err := readStatus(w.pid, "VmHWM"); err == nil {
			w.peak = max(w.peak, hwm)
		}
	}
	return w.peak
}

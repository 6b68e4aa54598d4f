package main

import (
	"testing"

	v1 "k8s.io/api/core/v1"
)

func TestDockerRef(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"127.0.0.1:5000/app:v1", "127.0.0.1:5000/app:v1"},
		{"127.0.0.1:5000/app@sha256:abc", "127.0.0.1:5000/app@sha256:abc"},
		{"127.0.0.1:5000/app:v1@sha256:abc", "127.0.0.1:5000/app@sha256:abc"},
		{"127.0.0.1:5000/team/app@sha256:abc", "127.0.0.1:5000/team/app@sha256:abc"},
		{"busybox", "busybox"},
	} {
		if got := dockerRef(tc.in); got != tc.want {
			t.Errorf("dockerRef(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNextBackoff(t *testing.T) {
	var got []string
	d := nextBackoff(0)
	for range 7 {
		got = append(got, d.String())
		d = nextBackoff(d)
	}
	want := []string{"10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("back-off sequence %v, want %v", got, want)
		}
	}
}

func condition(s v1.PodStatus, t v1.PodConditionType) v1.PodCondition {
	for _, c := range s.Conditions {
		if c.Type == t {
			return c
		}
	}
	return v1.PodCondition{}
}

// The pod's phase and Ready condition from its containers, as the kubelet
// derives them.
func TestPodStatus(t *testing.T) {
	exited := func(code int32) *v1.ContainerStateTerminated {
		return &v1.ContainerStateTerminated{ExitCode: code, ContainerID: "docker://x"}
	}
	for _, tc := range []struct {
		name      string
		ctrs      []*ctr
		phase     v1.PodPhase
		ready     v1.ConditionStatus
		readyWhy  string
		firstWait string
	}{
		{"image pull back-off, never started", []*ctr{{waiting: &v1.ContainerStateWaiting{Reason: "ImagePullBackOff"}}},
			v1.PodPending, v1.ConditionFalse, "ContainersNotReady", "ImagePullBackOff"},
		{"not created yet", []*ctr{{}}, v1.PodPending, v1.ConditionFalse, "ContainersNotReady", "ContainerCreating"},
		{"running, probe not passed", []*ctr{{id: "a", startupDone: true}}, v1.PodRunning, v1.ConditionFalse, "ContainersNotReady", ""},
		{"running and ready", []*ctr{{id: "a", startupDone: true, ready: true}}, v1.PodRunning, v1.ConditionTrue, "", ""},
		{"crash loop", []*ctr{{restarts: 3, last: exited(3), waiting: &v1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}},
			v1.PodRunning, v1.ConditionFalse, "ContainersNotReady", "CrashLoopBackOff"},
		{"one of two ready", []*ctr{{id: "a", ready: true, startupDone: true}, {id: "b", startupDone: true}},
			v1.PodRunning, v1.ConditionFalse, "ContainersNotReady", ""},
		{"job succeeded", []*ctr{{final: exited(0)}}, v1.PodSucceeded, v1.ConditionFalse, "PodCompleted", ""},
		{"job failed", []*ctr{{final: exited(7)}}, v1.PodFailed, v1.ConditionFalse, "PodCompleted", ""},
		{"one container failed, one succeeded", []*ctr{{final: exited(0)}, {final: exited(1)}}, v1.PodFailed, v1.ConditionFalse, "PodCompleted", ""},
		{"one done, one still running", []*ctr{{final: exited(0)}, {id: "b", ready: true, startupDone: true}}, v1.PodRunning, v1.ConditionFalse, "ContainersNotReady", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i, c := range tc.ctrs {
				c.spec.Name = string(rune('a' + i))
			}
			w := &podWorker{ctrs: tc.ctrs}
			s := w.status(&v1.Pod{})
			if s.Phase != tc.phase {
				t.Errorf("phase %s, want %s", s.Phase, tc.phase)
			}
			r := condition(s, v1.PodReady)
			if r.Status != tc.ready || r.Reason != tc.readyWhy {
				t.Errorf("Ready %s/%s, want %s/%s", r.Status, r.Reason, tc.ready, tc.readyWhy)
			}
			if cr := condition(s, v1.ContainersReady); cr.Status != tc.ready {
				t.Errorf("ContainersReady %s, want %s", cr.Status, tc.ready)
			}
			if tc.firstWait != "" {
				w := s.ContainerStatuses[0].State.Waiting
				if w == nil || w.Reason != tc.firstWait {
					t.Errorf("first container waiting %+v, want %s", w, tc.firstWait)
				}
			}
			if s.PodIP != host || s.HostIP != host {
				t.Errorf("pod IP %q host IP %q, want %s", s.PodIP, s.HostIP, host)
			}
		})
	}
}

func TestRegistryHost(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"127.0.0.1:5001/app:v1", "127.0.0.1:5001"},
		{"registry.example.com/team/app@sha256:abc", "registry.example.com"},
		{"localhost/app", "localhost"},
		{"team/app:v1", "docker.io"},
		{"busybox", "docker.io"},
	} {
		if got := registryHost(tc.in); got != tc.want {
			t.Errorf("registryHost(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

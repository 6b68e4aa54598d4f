package main

// One worker per pod bound to node-1: it pulls the images, creates and
// starts one Docker container per container of the pod (host network, its
// own PORT), restarts them per restartPolicy with the kubelet's back-off
// (10s doubling to 5m), runs the startup, liveness and readiness probes, and
// writes the pod's status: phase, conditions and container statuses with
// the kubelet's reasons (ErrImagePull, ImagePullBackOff, CrashLoopBackOff,
// CreateContainerConfigError, Completed, Error, OOMKilled). On deletion it
// stops the containers (SIGTERM, then SIGKILL after the grace period,
// capped at 10s to keep tests quick) and removes the pod object.
// Init containers, volumes and resource limits other than CPU and memory
// are not run or enforced.

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/third_party/forked/golang/expansion"
)

const (
	initialBackoff = 10 * time.Second
	maxBackoff     = 5 * time.Minute
	maxGrace       = 10 * time.Second
)

type probeState struct {
	last                time.Time
	successes, failures int
}

type ctr struct {
	spec        v1.Container
	port        int
	id          string // the current Docker container, running or exited
	imageID     string
	restarts    int32
	startedAt   time.Time
	waiting     *v1.ContainerStateWaiting
	last        *v1.ContainerStateTerminated
	final       *v1.ContainerStateTerminated // exited and not to be restarted
	backoff     time.Duration
	notBefore   time.Time
	pullBackoff bool
	ready       bool
	startupDone bool
	killing     bool
	probes      map[string]*probeState
}

type podWorker struct {
	k         *kubelet
	uid       types.UID
	namespace string
	name      string
	ctrs      []*ctr
	wakeCh    chan struct{}
	startTime metav1.Time
	terminal  bool
}

func now() metav1.Time { return metav1.NewTime(time.Now().Truncate(time.Second)) }

func (k *kubelet) newPodWorker(pod *v1.Pod) *podWorker {
	w := &podWorker{k: k, uid: pod.UID, namespace: pod.Namespace, name: pod.Name, wakeCh: make(chan struct{}, 1), startTime: now()}
	for _, c := range pod.Spec.Containers {
		port, err := k.freePort()
		if err != nil {
			klog.Errorf("pod %s/%s: %v", pod.Namespace, pod.Name, err)
		}
		w.ctrs = append(w.ctrs, &ctr{spec: c, port: port, probes: map[string]*probeState{}})
	}
	return w
}

func (w *podWorker) poke() {
	select {
	case w.wakeCh <- struct{}{}:
	default:
	}
}

func (w *podWorker) ports() []int {
	var ps []int
	for _, c := range w.ctrs {
		ps = append(ps, c.port)
	}
	return ps
}

func (w *podWorker) run(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		pod, err := w.k.pods.Pods(w.namespace).Get(w.name)
		if err != nil || pod.UID != w.uid {
			// Gone from the API (force-deleted): only the containers are left.
			w.stopAll(ctx, nil, time.Second)
			w.k.workerDone(w.uid, w.ports())
			return
		}
		if pod.DeletionTimestamp != nil {
			w.terminate(ctx, pod)
			return
		}
		if !w.terminal {
			w.sync(ctx, pod)
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wakeCh:
		case <-tick.C:
		}
	}
}

func containerName(namespace, pod, container string) string {
	return fmt.Sprintf("k8s_%s_%s_%s", namespace, pod, container)
}

func (w *podWorker) ref(pod *v1.Pod, c *ctr) *v1.ObjectReference {
	ref := &v1.ObjectReference{Kind: "Pod", APIVersion: "v1", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID, ResourceVersion: pod.ResourceVersion}
	if c != nil {
		ref.FieldPath = fmt.Sprintf("spec.containers{%s}", c.spec.Name)
	}
	return ref
}

func (w *podWorker) event(pod *v1.Pod, c *ctr, typ, reason, format string, args ...any) {
	w.k.recorder.Eventf(w.ref(pod, c), typ, reason, format, args...)
}

func (w *podWorker) sync(ctx context.Context, pod *v1.Pod) {
	for _, c := range w.ctrs {
		w.syncContainer(ctx, pod, c)
	}
	status := w.status(pod)
	if equality.Semantic.DeepEqual(pod.Status, status) {
		if status.Phase == v1.PodSucceeded || status.Phase == v1.PodFailed {
			w.terminal = true
		}
		return
	}
	updated := pod.DeepCopy()
	updated.Status = status
	if _, err := w.k.client.CoreV1().Pods(pod.Namespace).UpdateStatus(ctx, updated, metav1.UpdateOptions{}); err != nil {
		if !apierrors.IsConflict(err) && !apierrors.IsNotFound(err) {
			klog.Errorf("pod %s/%s status: %v", pod.Namespace, pod.Name, err)
		}
		return
	}
	if status.Phase == v1.PodSucceeded || status.Phase == v1.PodFailed {
		w.terminal = true
	}
}

func nextBackoff(d time.Duration) time.Duration {
	if d == 0 {
		return initialBackoff
	}
	if d*2 > maxBackoff {
		return maxBackoff
	}
	return d * 2
}

func (w *podWorker) syncContainer(ctx context.Context, pod *v1.Pod, c *ctr) {
	if c.final != nil {
		return
	}
	if c.id == "" {
		if time.Now().Before(c.notBefore) {
			if c.pullBackoff && c.waiting != nil && c.waiting.Reason == "ErrImagePull" {
				c.waiting = &v1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: fmt.Sprintf("Back-off pulling image %q: ErrImagePull: %s", c.spec.Image, c.waiting.Message)}
				w.event(pod, c, v1.EventTypeNormal, "BackOff", "Back-off pulling image %q", c.spec.Image)
				w.event(pod, c, v1.EventTypeWarning, "Failed", "Error: ImagePullBackOff")
			}
			return
		}
		w.startContainer(ctx, pod, c)
		return
	}
	info, err := w.k.docker.inspectContainer(ctx, c.id)
	if err != nil {
		if !isNotFound(err) {
			klog.Errorf("pod %s/%s: %v", pod.Namespace, pod.Name, err)
			return
		}
		// Removed behind our back: report it as the kubelet does.
		info = &containerInfo{ID: c.id, State: containerState{ExitCode: 137, Error: "The container could not be located when the pod was terminated"}}
	}
	if info.State.Running {
		w.probe(ctx, pod, c)
		return
	}
	w.exited(ctx, pod, c, info)
}

func parseTime(s string) metav1.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 2000 {
		return now()
	}
	return metav1.NewTime(t.Truncate(time.Second))
}

func (w *podWorker) exited(ctx context.Context, pod *v1.Pod, c *ctr, info *containerInfo) {
	st := info.State
	term := &v1.ContainerStateTerminated{
		ExitCode:    int32(st.ExitCode),
		Reason:      "Error",
		Message:     st.Error,
		StartedAt:   parseTime(st.StartedAt),
		FinishedAt:  parseTime(st.FinishedAt),
		ContainerID: "docker://" + c.id,
	}
	switch {
	case st.OOMKilled:
		term.Reason = "OOMKilled"
	case st.ExitCode == 0:
		term.Reason = "Completed"
	}
	c.ready, c.killing = false, false
	policy := pod.Spec.RestartPolicy
	if c.spec.RestartPolicy != nil {
		policy = v1.RestartPolicy(*c.spec.RestartPolicy)
	}
	if policy == v1.RestartPolicyNever || (policy == v1.RestartPolicyOnFailure && st.ExitCode == 0) {
		c.final = term
		return
	}
	// The exited container stays, renamed, for `kubectl logs --previous`.
	prev := containerName(pod.Namespace, pod.Name, c.spec.Name) + "_previous"
	_ = w.k.docker.removeContainer(ctx, prev)
	if err := w.k.docker.renameContainer(ctx, c.id, prev); err != nil {
		_ = w.k.docker.removeContainer(ctx, c.id)
	}
	c.id = ""
	w.crashed(pod, c, term)
}

// crashed schedules the restart of a container that exited or could not
// start: the first restart at once, then after 10s, 20s, ... 5m; a container
// that ran 10 minutes starts the back-off over.
func (w *podWorker) crashed(pod *v1.Pod, c *ctr, term *v1.ContainerStateTerminated) {
	c.last = term
	if term.FinishedAt.Sub(term.StartedAt.Time) > 10*time.Minute {
		c.backoff = 0
	}
	if c.restarts == 0 && c.backoff == 0 {
		c.notBefore = time.Now()
		c.waiting = &v1.ContainerStateWaiting{Reason: "ContainerCreating"}
		c.backoff = initialBackoff / 2
	} else {
		c.backoff = nextBackoff(c.backoff)
		c.notBefore = time.Now().Add(c.backoff)
		c.waiting = &v1.ContainerStateWaiting{
			Reason:  "CrashLoopBackOff",
			Message: fmt.Sprintf("back-off %s restarting failed container=%s pod=%s_%s(%s)", c.backoff, c.spec.Name, pod.Name, pod.Namespace, pod.UID),
		}
		w.event(pod, c, v1.EventTypeWarning, "BackOff", "Back-off restarting failed container %s in pod %s_%s(%s)", c.spec.Name, pod.Name, pod.Namespace, pod.UID)
	}
	c.restarts++
	c.pullBackoff = false
}

// dockerRef is the reference the engine accepts: a name with both a tag and
// a digest is pulled by its digest.
func dockerRef(image string) string {
	at := strings.Index(image, "@")
	if at < 0 {
		return image
	}
	name := image[:at]
	if colon := strings.LastIndex(name, ":"); colon > strings.LastIndex(name, "/") {
		name = name[:colon]
	}
	return name + image[at:]
}

func (w *podWorker) ensureImage(ctx context.Context, pod *v1.Pod, c *ctr) (reason string, err error) {
	ref := dockerRef(c.spec.Image)
	present, inspectErr := w.k.docker.inspectImage(ctx, ref)
	switch c.spec.ImagePullPolicy {
	case v1.PullNever:
		if inspectErr != nil {
			return "ErrImageNeverPull", fmt.Errorf("Container image %q is not present with pull policy of Never", c.spec.Image)
		}
	case v1.PullIfNotPresent:
		if inspectErr != nil {
			present = nil
		}
	default:
		present = nil
	}
	if present == nil {
		w.event(pod, c, v1.EventTypeNormal, "Pulling", "Pulling image %q", c.spec.Image)
		start := time.Now()
		if err := w.k.docker.pullImage(ctx, ref, w.k.pullAuth(ctx, pod, ref)); err != nil {
			msg := err.Error()
			if de, ok := err.(*dockerError); ok {
				msg = de.Message
			}
			w.event(pod, c, v1.EventTypeWarning, "Failed", "Failed to pull image %q: %s", c.spec.Image, msg)
			w.event(pod, c, v1.EventTypeWarning, "Failed", "Error: ErrImagePull")
			return "ErrImagePull", fmt.Errorf("%s", msg)
		}
		w.event(pod, c, v1.EventTypeNormal, "Pulled", "Successfully pulled image %q in %s", c.spec.Image, time.Since(start).Round(time.Millisecond))
		if present, err = w.k.docker.inspectImage(ctx, ref); err != nil {
			return "ErrImagePull", err
		}
	} else {
		w.event(pod, c, v1.EventTypeNormal, "Pulled", "Container image %q already present on machine", c.spec.Image)
	}
	c.imageID = "docker://" + present.ID
	repo := ref
	if at := strings.Index(repo, "@"); at >= 0 {
		repo = repo[:at]
	} else if colon := strings.LastIndex(repo, ":"); colon > strings.LastIndex(repo, "/") {
		repo = repo[:colon]
	}
	for _, d := range present.RepoDigests {
		if strings.HasPrefix(d, repo+"@") {
			c.imageID = "docker-pullable://" + d
		}
	}
	return "", nil
}

func (w *podWorker) startContainer(ctx context.Context, pod *v1.Pod, c *ctr) {
	if reason, err := w.ensureImage(ctx, pod, c); err != nil {
		c.waiting = &v1.ContainerStateWaiting{Reason: reason, Message: err.Error()}
		c.backoff = nextBackoff(c.backoff)
		c.notBefore = time.Now().Add(c.backoff)
		c.pullBackoff = true
		return
	}
	c.pullBackoff = false
	env, vars, err := w.k.containerEnv(ctx, pod, &c.spec, c.port)
	if err != nil {
		c.waiting = &v1.ContainerStateWaiting{Reason: "CreateContainerConfigError", Message: err.Error()}
		w.event(pod, c, v1.EventTypeWarning, "Failed", "Error: %s", err.Error())
		c.notBefore = time.Now().Add(5 * time.Second)
		return
	}
	mapping := expansion.MappingFuncFor(vars)
	expand := func(in []string) []string {
		out := make([]string, len(in))
		for i, s := range in {
			out[i] = expansion.Expand(s, mapping)
		}
		return out
	}
	name := containerName(pod.Namespace, pod.Name, c.spec.Name)
	hostConfig := map[string]any{"NetworkMode": "host"}
	if m := c.spec.Resources.Limits.Memory(); !m.IsZero() {
		hostConfig["Memory"] = m.Value()
	}
	if cpu := c.spec.Resources.Limits.Cpu(); !cpu.IsZero() {
		hostConfig["NanoCpus"] = cpu.MilliValue() * 1_000_000
	}
	body := map[string]any{
		"Image": dockerRef(c.spec.Image),
		"Env":   env,
		"Labels": map[string]string{
			labelManaged:   fmt.Sprint(apiPort),
			labelNamespace: pod.Namespace,
			labelPod:       pod.Name,
			labelPodUID:    string(pod.UID),
			labelContainer: c.spec.Name,
		},
		"Tty":        c.spec.TTY,
		"OpenStdin":  c.spec.Stdin,
		"HostConfig": hostConfig,
	}
	if len(c.spec.Command) > 0 {
		body["Entrypoint"] = expand(c.spec.Command)
	}
	if len(c.spec.Args) > 0 {
		body["Cmd"] = expand(c.spec.Args)
	}
	if c.spec.WorkingDir != "" {
		body["WorkingDir"] = c.spec.WorkingDir
	}
	if sc := c.spec.SecurityContext; sc != nil && sc.RunAsUser != nil {
		body["User"] = fmt.Sprint(*sc.RunAsUser)
	} else if psc := pod.Spec.SecurityContext; psc != nil && psc.RunAsUser != nil {
		body["User"] = fmt.Sprint(*psc.RunAsUser)
	}
	// A container of that name is an earlier instance, or belongs to an
	// earlier pod of the same name: this pod's container replaces it.
	_ = w.k.docker.removeContainer(ctx, name)
	id, err := w.k.docker.createContainer(ctx, name, body)
	if err != nil {
		c.waiting = &v1.ContainerStateWaiting{Reason: "CreateContainerError", Message: err.Error()}
		w.event(pod, c, v1.EventTypeWarning, "Failed", "Error: %s", err.Error())
		c.backoff = nextBackoff(c.backoff)
		c.notBefore = time.Now().Add(c.backoff)
		return
	}
	w.event(pod, c, v1.EventTypeNormal, "Created", "Created container: %s", c.spec.Name)
	if err := w.k.docker.startContainer(ctx, id); err != nil {
		msg := err.Error()
		if de, ok := err.(*dockerError); ok {
			msg = de.Message
		}
		w.event(pod, c, v1.EventTypeWarning, "Failed", "Error: failed to start container %q: %s", c.spec.Name, msg)
		_ = w.k.docker.removeContainer(ctx, id)
		t := now()
		w.crashed(pod, c, &v1.ContainerStateTerminated{ExitCode: 128, Reason: "StartError", Message: msg, StartedAt: t, FinishedAt: t, ContainerID: "docker://" + id})
		return
	}
	w.event(pod, c, v1.EventTypeNormal, "Started", "Started container %s", c.spec.Name)
	c.id = id
	c.waiting = nil
	c.startedAt = time.Now()
	c.ready = false
	c.startupDone = c.spec.StartupProbe == nil
	c.probes = map[string]*probeState{}
	if c.spec.ReadinessProbe == nil && c.startupDone {
		c.ready = true
	}
}

func (w *podWorker) probe(ctx context.Context, pod *v1.Pod, c *ctr) {
	if c.killing {
		return
	}
	if !c.startupDone {
		ok, st, msg := w.runProbe(ctx, "startup", c.spec.StartupProbe, c)
		if st == nil {
			return
		}
		if ok && st.successes >= 1 {
			c.startupDone = true
			c.ready = c.spec.ReadinessProbe == nil
		} else if !ok {
			w.event(pod, c, v1.EventTypeWarning, "Unhealthy", "Startup probe failed: %s", msg)
			if st.failures >= int(c.spec.StartupProbe.FailureThreshold) {
				w.kill(ctx, pod, c, fmt.Sprintf("Container %s failed startup probe, will be restarted", c.spec.Name))
			}
		}
		return
	}
	if p := c.spec.LivenessProbe; p != nil {
		if ok, st, msg := w.runProbe(ctx, "liveness", p, c); st != nil && !ok {
			w.event(pod, c, v1.EventTypeWarning, "Unhealthy", "Liveness probe failed: %s", msg)
			if st.failures >= int(p.FailureThreshold) {
				w.kill(ctx, pod, c, fmt.Sprintf("Container %s failed liveness probe, will be restarted", c.spec.Name))
				return
			}
		}
	}
	if p := c.spec.ReadinessProbe; p != nil {
		ok, st, msg := w.runProbe(ctx, "readiness", p, c)
		if st == nil {
			return
		}
		if ok && st.successes >= int(max(p.SuccessThreshold, 1)) {
			c.ready = true
		}
		if !ok {
			w.event(pod, c, v1.EventTypeWarning, "Unhealthy", "Readiness probe failed: %s", msg)
			if st.failures >= int(max(p.FailureThreshold, 1)) {
				c.ready = false
			}
		}
	}
}

func (w *podWorker) kill(ctx context.Context, pod *v1.Pod, c *ctr, why string) {
	c.killing = true
	c.ready = false
	w.event(pod, c, v1.EventTypeNormal, "Killing", "%s", why)
	id, grace := c.id, gracePeriod(pod)
	go func() {
		if err := w.k.docker.stopContainer(ctx, id, grace); err != nil && !isNotFound(err) {
			klog.Errorf("stopping %s: %v", id, err)
		}
		w.poke()
	}()
}

func gracePeriod(pod *v1.Pod) time.Duration {
	g := 30 * time.Second
	if pod.DeletionGracePeriodSeconds != nil {
		g = time.Duration(*pod.DeletionGracePeriodSeconds) * time.Second
	} else if pod.Spec.TerminationGracePeriodSeconds != nil {
		g = time.Duration(*pod.Spec.TerminationGracePeriodSeconds) * time.Second
	}
	return min(g, maxGrace)
}

var probeClient = &http.Client{Transport: &http.Transport{
	TLSClientConfig:   &tls.Config{InsecureSkipVerify: true},
	DisableKeepAlives: true,
}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// runProbe runs probe when it is due and returns its result and counters
// (st == nil: not due). Every port a probe names, by number or by name, is
// the container's PORT: on the host network that is where it listens.
func (w *podWorker) runProbe(ctx context.Context, kind string, p *v1.Probe, c *ctr) (bool, *probeState, string) {
	st := c.probes[kind]
	if st == nil {
		st = &probeState{}
		c.probes[kind] = st
	}
	t := time.Now()
	if t.Sub(c.startedAt) < time.Duration(p.InitialDelaySeconds)*time.Second {
		return false, nil, ""
	}
	period := time.Duration(max(p.PeriodSeconds, 1)) * time.Second
	if !st.last.IsZero() && t.Sub(st.last) < period {
		return false, nil, ""
	}
	st.last = t
	timeout := time.Duration(max(p.TimeoutSeconds, 1)) * time.Second
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ok, msg := true, ""
	addr := fmt.Sprintf("%s:%d", host, c.port)
	switch {
	case p.HTTPGet != nil:
		scheme := "http"
		if p.HTTPGet.Scheme == v1.URISchemeHTTPS {
			scheme = "https"
		}
		path := p.HTTPGet.Path
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		url := fmt.Sprintf("%s://%s%s", scheme, addr, path)
		req, _ := http.NewRequestWithContext(pctx, http.MethodGet, url, nil)
		for _, h := range p.HTTPGet.HTTPHeaders {
			req.Header.Add(h.Name, h.Value)
		}
		req.Header.Set("User-Agent", "kube-probe/1.37")
		resp, err := probeClient.Do(req)
		if err != nil {
			ok, msg = false, err.Error()
			if pctx.Err() != nil {
				msg = fmt.Sprintf("Get %q: context deadline exceeded (Client.Timeout exceeded while awaiting headers)", url)
			}
		} else {
			resp.Body.Close()
			if resp.StatusCode < 200 || resp.StatusCode >= 400 {
				ok, msg = false, fmt.Sprintf("HTTP probe failed with statuscode: %d", resp.StatusCode)
			}
		}
	case p.TCPSocket != nil, p.GRPC != nil:
		conn, err := (&net.Dialer{}).DialContext(pctx, "tcp", addr)
		if err != nil {
			ok, msg = false, err.Error()
		} else {
			conn.Close()
		}
	case p.Exec != nil:
		code, err := w.k.docker.exec(pctx, c.id, p.Exec.Command)
		if err != nil {
			ok, msg = false, err.Error()
		} else if code != 0 {
			ok, msg = false, fmt.Sprintf("command %q exited with %d", strings.Join(p.Exec.Command, " "), code)
		}
	}
	if ok {
		st.successes++
		st.failures = 0
	} else {
		st.failures++
		st.successes = 0
	}
	return ok, st, msg
}

func (w *podWorker) status(pod *v1.Pod) v1.PodStatus {
	s := *pod.Status.DeepCopy()
	s.HostIP, s.PodIP = host, host
	s.HostIPs = []v1.HostIP{{IP: host}}
	s.PodIPs = []v1.PodIP{{IP: host}}
	if s.StartTime == nil {
		s.StartTime = &w.startTime
	}
	allFinal, allSucceeded, anyStarted, allReady := true, true, false, true
	var notReady []string
	s.ContainerStatuses = nil
	for _, c := range w.ctrs {
		started := c.id != "" && c.startupDone && !c.killing
		cs := v1.ContainerStatus{
			Name:         c.spec.Name,
			Image:        c.spec.Image,
			ImageID:      c.imageID,
			RestartCount: c.restarts,
			Ready:        c.ready && c.id != "",
			Started:      &started,
		}
		if c.last != nil {
			cs.LastTerminationState = v1.ContainerState{Terminated: c.last}
		}
		switch {
		case c.final != nil:
			cs.State = v1.ContainerState{Terminated: c.final}
			cs.ContainerID = c.final.ContainerID
			cs.Ready = false
			anyStarted = true
			if c.final.ExitCode != 0 {
				allSucceeded = false
			}
		case c.id != "":
			cs.State = v1.ContainerState{Running: &v1.ContainerStateRunning{StartedAt: metav1.NewTime(c.startedAt.Truncate(time.Second))}}
			cs.ContainerID = "docker://" + c.id
			anyStarted = true
			allFinal = false
		default:
			waiting := c.waiting
			if waiting == nil {
				waiting = &v1.ContainerStateWaiting{Reason: "ContainerCreating"}
			}
			cs.State = v1.ContainerState{Waiting: waiting}
			allFinal = false
			if c.restarts > 0 {
				anyStarted = true
			}
		}
		if !cs.Ready {
			allReady = false
			notReady = append(notReady, c.spec.Name)
		}
		s.ContainerStatuses = append(s.ContainerStatuses, cs)
	}
	switch {
	case allFinal && allSucceeded:
		s.Phase = v1.PodSucceeded
	case allFinal:
		s.Phase = v1.PodFailed
	case anyStarted:
		s.Phase = v1.PodRunning
	default:
		s.Phase = v1.PodPending
	}
	setCondition(&s, v1.PodCondition{Type: v1.PodReadyToStartContainers, Status: v1.ConditionTrue})
	setCondition(&s, v1.PodCondition{Type: v1.PodInitialized, Status: v1.ConditionTrue})
	ready := v1.PodCondition{Status: v1.ConditionTrue}
	if s.Phase == v1.PodSucceeded || s.Phase == v1.PodFailed {
		ready = v1.PodCondition{Status: v1.ConditionFalse, Reason: "PodCompleted"}
	} else if !allReady {
		ready = v1.PodCondition{Status: v1.ConditionFalse, Reason: "ContainersNotReady", Message: fmt.Sprintf("containers with unready status: [%s]", strings.Join(notReady, " "))}
	}
	ready.Type = v1.ContainersReady
	setCondition(&s, ready)
	ready.Type = v1.PodReady
	setCondition(&s, ready)
	return s
}

// terminate stops the pod's containers as a deletion asks and then removes
// the pod object (what the kubelet's final delete with grace 0 does).
func (w *podWorker) terminate(ctx context.Context, pod *v1.Pod) {
	w.stopAll(ctx, pod, gracePeriod(pod))
	zero := int64(0)
	err := w.k.client.CoreV1().Pods(pod.Namespace).Delete(ctx, pod.Name, metav1.DeleteOptions{
		GracePeriodSeconds: &zero,
		Preconditions:      &metav1.Preconditions{UID: &pod.UID},
	})
	if err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
		klog.Errorf("deleting pod %s/%s: %v", pod.Namespace, pod.Name, err)
	}
	w.k.finished(w.uid)
	w.k.workerDone(w.uid, w.ports())
}

func (w *podWorker) stopAll(ctx context.Context, pod *v1.Pod, grace time.Duration) {
	var wg sync.WaitGroup
	for _, c := range w.ctrs {
		name := containerName(w.namespace, w.name, c.spec.Name)
		if c.id != "" && pod != nil {
			w.event(pod, c, v1.EventTypeNormal, "Killing", "Stopping container %s", c.spec.Name)
		}
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			if id != "" {
				if info, err := w.k.docker.inspectContainer(ctx, id); err == nil && info.State.Running {
					_ = w.k.docker.stopContainer(ctx, id, grace)
				}
				_ = w.k.docker.removeContainer(ctx, id)
			}
			// Only this pod's instance: a pod of the same name may own it now.
			for _, n := range []string{name, name + "_previous"} {
				if info, err := w.k.docker.inspectContainer(ctx, n); err == nil && info.Config.Labels[labelPodUID] == string(w.uid) {
					_ = w.k.docker.removeContainer(ctx, info.ID)
				}
			}
		}(c.id)
		c.id = ""
	}
	wg.Wait()
}

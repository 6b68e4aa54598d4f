package main

// The stand-in for the kubelet of the one node, node-1. What a real cluster
// splits between the scheduler and the kubelet happens here in a simpler
// form:
//   - pending pods are bound to node-1 when their requests fit the node's
//     allocatable CPU and memory and their nodeSelector matches; otherwise
//     they are marked Unschedulable as the scheduler would;
//   - each bound pod gets a worker (pod.go) that runs its containers on the
//     local Docker engine, probes them and reports their status;
//   - container logs are served as the kubelet serves them (logs.go), so
//     `kubectl logs` and the pods/log API work.

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"sync"
	"time"

	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
)

// Every container this program starts carries this label (its value: the
// API server's port), so that a restart (or anyone) can find and remove them:
// docker rm -f $(docker ps -aq --filter label=safe-deploy.k8s)
const (
	labelManaged   = "safe-deploy.k8s"
	labelNamespace = "io.kubernetes.pod.namespace"
	labelPod       = "io.kubernetes.pod.name"
	labelPodUID    = "io.kubernetes.pod.uid"
	labelContainer = "io.kubernetes.container.name"
)

// What node-1 declares. Larger than this machine (2 cores) on purpose: the
// tests of several engineers share it, and only a request meant not to fit
// (say 100 CPUs) should be Unschedulable.
var (
	nodeCPU    = resource.MustParse("8")
	nodeMemory = resource.MustParse("32Gi")
	nodePods   = resource.MustParse("110")
)

type kubelet struct {
	client    kubernetes.Interface
	docker    *docker
	pki       *pki
	recorder  record.EventRecorder
	scheduler record.EventRecorder
	pods      corelisters.PodLister
	informer  cache.SharedIndexInformer
	factory   informers.SharedInformerFactory

	mu      sync.Mutex
	workers map[types.UID]*podWorker
	ports   map[int]bool
	// Pods whose containers are gone and whose object was deleted, but that
	// a finalizer (the job controller's) still keeps in the API.
	done map[types.UID]bool
}

func newKubelet(ctx context.Context, cfg *rest.Config, p *pki, socket string) (*kubelet, error) {
	client := clientFor(cfg, "kubelet-stand-in")
	broadcaster := record.NewBroadcaster(record.WithContext(ctx))
	broadcaster.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: client.CoreV1().Events("")})
	factory := informers.NewSharedInformerFactory(client, 0)
	k := &kubelet{
		client:    client,
		docker:    newDocker(socket),
		pki:       p,
		recorder:  broadcaster.NewRecorder(scheme.Scheme, v1.EventSource{Component: "kubelet", Host: nodeName}),
		scheduler: broadcaster.NewRecorder(scheme.Scheme, v1.EventSource{Component: "default-scheduler"}),
		factory:   factory,
		informer:  factory.Core().V1().Pods().Informer(),
		pods:      factory.Core().V1().Pods().Lister(),
		workers:   map[types.UID]*podWorker{},
		ports:     map[int]bool{},
		done:      map[types.UID]bool{},
	}
	if _, err := k.docker.listContainers(ctx, k.instanceLabel()); err != nil {
		return nil, fmt.Errorf("Docker engine at %s: %w", socket, err)
	}
	return k, nil
}

func (k *kubelet) start(ctx context.Context) error {
	// Containers left by an earlier run belong to pods of a cluster that no
	// longer exists (every start is a fresh etcd).
	k.removeAllContainers(ctx)
	if err := k.registerNode(ctx); err != nil {
		return err
	}
	if err := k.serveKubeletAPI(ctx); err != nil {
		return err
	}
	_, err := k.informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { k.podChanged(ctx, obj) },
		UpdateFunc: func(_, obj any) { k.podChanged(ctx, obj) },
		DeleteFunc: func(obj any) {
			if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = t.Obj
			}
			if pod, ok := obj.(*v1.Pod); ok {
				k.wake(pod.UID)
				k.mu.Lock()
				delete(k.done, pod.UID)
				k.mu.Unlock()
			}
		},
	})
	if err != nil {
		return err
	}
	k.factory.Start(ctx.Done())
	k.factory.WaitForCacheSync(ctx.Done())
	go wait.UntilWithContext(ctx, k.heartbeat, 20*time.Second)
	go wait.UntilWithContext(ctx, k.retryScheduling, 3*time.Second)
	return nil
}

// instanceLabel selects the containers of this instance's pods: the label's
// value is the API server's port.
func (k *kubelet) instanceLabel() string { return fmt.Sprintf("%s=%d", labelManaged, apiPort) }

func (k *kubelet) removeAllContainers(ctx context.Context) {
	list, err := k.docker.listContainers(ctx, k.instanceLabel())
	if err != nil {
		klog.Errorf("listing containers: %v", err)
		return
	}
	var wg sync.WaitGroup
	for _, c := range list {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			_ = k.docker.stopContainer(ctx, id, 2*time.Second)
			if err := k.docker.removeContainer(ctx, id); err != nil {
				klog.Errorf("removing container %s: %v", id, err)
			}
		}(c.ID)
	}
	wg.Wait()
}

func (k *kubelet) nodeStatus(now metav1.Time) v1.NodeStatus {
	list := v1.ResourceList{v1.ResourceCPU: nodeCPU, v1.ResourceMemory: nodeMemory, v1.ResourcePods: nodePods}
	cond := func(t v1.NodeConditionType, s v1.ConditionStatus, reason, msg string) v1.NodeCondition {
		return v1.NodeCondition{Type: t, Status: s, Reason: reason, Message: msg, LastHeartbeatTime: now, LastTransitionTime: now}
	}
	return v1.NodeStatus{
		Capacity:    list,
		Allocatable: list,
		Phase:       v1.NodeRunning,
		Conditions: []v1.NodeCondition{
			cond(v1.NodeReady, v1.ConditionTrue, "KubeletReady", "kubelet stand-in (safe-deploy test control plane) is posting ready status"),
			cond(v1.NodeMemoryPressure, v1.ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
			cond(v1.NodeDiskPressure, v1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
			cond(v1.NodePIDPressure, v1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
		},
		Addresses: []v1.NodeAddress{
			{Type: v1.NodeInternalIP, Address: host},
			{Type: v1.NodeHostName, Address: nodeName},
		},
		DaemonEndpoints: v1.NodeDaemonEndpoints{KubeletEndpoint: v1.DaemonEndpoint{Port: int32(kubeletPort)}},
		NodeInfo: v1.NodeSystemInfo{
			KubeletVersion:          "v1.37.2",
			OperatingSystem:         "linux",
			Architecture:            runtime.GOARCH,
			ContainerRuntimeVersion: "docker://20.10",
			OSImage:                 "safe-deploy test node (kubelet stand-in)",
		},
	}
}

func (k *kubelet) registerNode(ctx context.Context) error {
	nodes := k.client.CoreV1().Nodes()
	node := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: nodeName, Labels: map[string]string{
		"kubernetes.io/hostname": nodeName,
		"kubernetes.io/os":       "linux",
		"kubernetes.io/arch":     runtime.GOARCH,
	}}}
	created, err := nodes.Create(ctx, node, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("registering node %s: %w", nodeName, err)
	}
	// The TaintNodesByCondition admission plugin adds the not-ready taint
	// that the node lifecycle controller would lift once the node is Ready.
	created.Spec.Taints = nil
	if created, err = nodes.Update(ctx, created, metav1.UpdateOptions{}); err != nil {
		return err
	}
	created.Status = k.nodeStatus(metav1.Now())
	_, err = nodes.UpdateStatus(ctx, created, metav1.UpdateOptions{})
	return err
}

func (k *kubelet) heartbeat(ctx context.Context) {
	node, err := k.client.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
	if err != nil {
		klog.Errorf("node heartbeat: %v", err)
		return
	}
	now := metav1.Now()
	for i := range node.Status.Conditions {
		node.Status.Conditions[i].LastHeartbeatTime = now
	}
	if _, err := k.client.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{}); err != nil {
		klog.Errorf("node heartbeat: %v", err)
	}
}

func (k *kubelet) podChanged(ctx context.Context, obj any) {
	pod, ok := obj.(*v1.Pod)
	if !ok {
		return
	}
	if pod.Spec.NodeName == "" {
		if pod.DeletionTimestamp == nil {
			go k.schedule(ctx, pod.DeepCopy())
		}
		return
	}
	if pod.Spec.NodeName != nodeName {
		return
	}
	k.mu.Lock()
	w, known := k.workers[pod.UID]
	done := k.done[pod.UID]
	k.mu.Unlock()
	if done {
		return
	}
	if !known {
		// Only the informer's handler goroutine creates workers, so no
		// other one can appear for this pod meanwhile.
		w = k.newPodWorker(pod)
		k.mu.Lock()
		k.workers[pod.UID] = w
		k.mu.Unlock()
		go w.run(ctx)
	}
	w.poke()
}

func (k *kubelet) wake(uid types.UID) {
	k.mu.Lock()
	w := k.workers[uid]
	k.mu.Unlock()
	if w != nil {
		w.poke()
	}
}

func (k *kubelet) finished(uid types.UID) {
	k.mu.Lock()
	k.done[uid] = true
	k.mu.Unlock()
}

func (k *kubelet) workerDone(uid types.UID, ports []int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.workers, uid)
	for _, p := range ports {
		delete(k.ports, p)
	}
}

// freePort returns a port on 127.0.0.1 that nothing listens on and that no
// other container of this node was given.
func (k *kubelet) freePort() (int, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for range 50 {
		l, err := net.Listen("tcp", host+":0")
		if err != nil {
			return 0, err
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if !k.ports[port] {
			k.ports[port] = true
			return port, nil
		}
	}
	return 0, fmt.Errorf("no free port on %s", host)
}

// retryScheduling gives unschedulable pods another chance, as the
// scheduler's queue does when the node's load changes.
func (k *kubelet) retryScheduling(ctx context.Context) {
	pods, err := k.pods.List(labels.Everything())
	if err != nil {
		return
	}
	for _, pod := range pods {
		if pod.Spec.NodeName == "" && pod.DeletionTimestamp == nil {
			k.schedule(ctx, pod.DeepCopy())
		}
	}
}

var scheduleMu sync.Mutex

// schedule binds pod to node-1 if it fits, as the default scheduler would
// with one node; otherwise it sets PodScheduled=False/Unschedulable.
func (k *kubelet) schedule(ctx context.Context, pod *v1.Pod) {
	if pod.Spec.SchedulerName != "" && pod.Spec.SchedulerName != v1.DefaultSchedulerName {
		return
	}
	scheduleMu.Lock()
	defer scheduleMu.Unlock()
	if reason := k.unfit(pod); reason != "" {
		msg := "0/1 nodes are available: " + reason + ". preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
		for _, c := range pod.Status.Conditions {
			if c.Type == v1.PodScheduled && c.Status == v1.ConditionFalse && c.Message == msg {
				return
			}
		}
		k.scheduler.Event(pod, v1.EventTypeWarning, "FailedScheduling", msg)
		setCondition(&pod.Status, v1.PodCondition{Type: v1.PodScheduled, Status: v1.ConditionFalse, Reason: v1.PodReasonUnschedulable, Message: msg})
		if _, err := k.client.CoreV1().Pods(pod.Namespace).UpdateStatus(ctx, pod, metav1.UpdateOptions{}); err != nil && !apierrors.IsConflict(err) && !apierrors.IsNotFound(err) {
			klog.Errorf("pod %s/%s: %v", pod.Namespace, pod.Name, err)
		}
		return
	}
	binding := &v1.Binding{
		ObjectMeta: metav1.ObjectMeta{Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID},
		Target:     v1.ObjectReference{Kind: "Node", Name: nodeName},
	}
	err := k.client.CoreV1().Pods(pod.Namespace).Bind(ctx, binding, metav1.CreateOptions{})
	if err != nil {
		if !apierrors.IsConflict(err) && !apierrors.IsNotFound(err) {
			klog.Errorf("binding pod %s/%s: %v", pod.Namespace, pod.Name, err)
		}
		return
	}
	// Wait until our informer sees the binding, so that the next pod's fit
	// counts this one.
	for range 50 {
		if p, err := k.pods.Pods(pod.Namespace).Get(pod.Name); err != nil || p.Spec.NodeName != "" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	k.scheduler.Eventf(pod, v1.EventTypeNormal, "Scheduled", "Successfully assigned %s/%s to %s", pod.Namespace, pod.Name, nodeName)
}

func podRequests(pod *v1.Pod) (cpu, mem int64) {
	for _, c := range pod.Spec.Containers {
		cpu += c.Resources.Requests.Cpu().MilliValue()
		mem += c.Resources.Requests.Memory().Value()
	}
	return
}

func (k *kubelet) unfit(pod *v1.Pod) string {
	for key, want := range pod.Spec.NodeSelector {
		nodeLabels := map[string]string{"kubernetes.io/hostname": nodeName, "kubernetes.io/os": "linux", "kubernetes.io/arch": runtime.GOARCH}
		if nodeLabels[key] != want {
			return "1 node(s) didn't match Pod's node affinity/selector"
		}
	}
	cpu, mem := podRequests(pod)
	pods, _ := k.pods.List(labels.Everything())
	for _, p := range pods {
		if p.Spec.NodeName == nodeName && p.Status.Phase != v1.PodSucceeded && p.Status.Phase != v1.PodFailed {
			c, m := podRequests(p)
			cpu += c
			mem += m
		}
	}
	var short []string
	if cpu > nodeCPU.MilliValue() {
		short = append(short, "1 Insufficient cpu")
	}
	if mem > nodeMemory.Value() {
		short = append(short, "1 Insufficient memory")
	}
	if len(short) == 0 {
		return ""
	}
	if len(short) == 2 {
		return short[0] + ", " + short[1]
	}
	return short[0]
}

// setCondition replaces the condition of the same type, keeping its
// lastTransitionTime when the status did not change.
func setCondition(status *v1.PodStatus, c v1.PodCondition) {
	now := metav1.Now()
	for i, old := range status.Conditions {
		if old.Type == c.Type {
			c.LastTransitionTime = old.LastTransitionTime
			if old.Status != c.Status || c.LastTransitionTime.IsZero() {
				c.LastTransitionTime = now
			}
			c.LastProbeTime = old.LastProbeTime
			status.Conditions[i] = c
			return
		}
	}
	c.LastTransitionTime = now
	status.Conditions = append(status.Conditions, c)
}

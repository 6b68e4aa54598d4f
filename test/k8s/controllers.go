package main

// The controllers of kube-controller-manager that a Deployment, a Job and
// their clean-up need, started in-process the way Kubernetes' own
// test/integration starts them: one shared informer factory, each
// controller with its own client (its user agent names it in the API
// server's log).

import (
	"context"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/metadata/metadatainformer"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/controller-manager/pkg/informerfactory"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller/deployment"
	"k8s.io/kubernetes/pkg/controller/garbagecollector"
	"k8s.io/kubernetes/pkg/controller/job"
	"k8s.io/kubernetes/pkg/controller/namespace"
	"k8s.io/kubernetes/pkg/controller/replicaset"
	"k8s.io/kubernetes/pkg/controller/serviceaccount"
	"k8s.io/kubernetes/pkg/controller/ttlafterfinished"
)

func clientFor(cfg *rest.Config, agent string) *kubernetes.Clientset {
	return kubernetes.NewForConfigOrDie(rest.AddUserAgent(rest.CopyConfig(cfg), agent))
}

func startControllers(ctx context.Context, cfg *rest.Config) error {
	factory := informers.NewSharedInformerFactory(clientFor(cfg, "shared-informers"), 12*time.Hour)
	metadataClient, err := metadata.NewForConfig(rest.AddUserAgent(rest.CopyConfig(cfg), "metadata-informers"))
	if err != nil {
		return err
	}
	metadataFactory := metadatainformer.NewSharedInformerFactory(metadataClient, 12*time.Hour)

	dc, err := deployment.NewDeploymentController(ctx,
		factory.Apps().V1().Deployments(), factory.Apps().V1().ReplicaSets(), factory.Core().V1().Pods(),
		clientFor(cfg, "deployment-controller"))
	if err != nil {
		return err
	}
	rsc := replicaset.NewReplicaSetController(ctx,
		factory.Apps().V1().ReplicaSets(), factory.Core().V1().Pods(),
		clientFor(cfg, "replicaset-controller"), replicaset.BurstReplicas)
	jc, err := job.NewController(ctx, clientFor(cfg, "job-controller"),
		factory.Core().V1().Pods(), factory.Batch().V1().Jobs(), nil, nil)
	if err != nil {
		return err
	}
	ttl := ttlafterfinished.New(ctx, factory.Batch().V1().Jobs(), clientFor(cfg, "ttl-after-finished-controller"))

	saClient := clientFor(cfg, "service-account-controller")
	sac, err := serviceaccount.NewServiceAccountsController(klog.FromContext(ctx),
		factory.Core().V1().ServiceAccounts(), factory.Core().V1().Namespaces(), saClient,
		serviceaccount.DefaultServiceAccountsControllerOptions())
	if err != nil {
		return err
	}

	nsClient := clientFor(cfg, "namespace-controller")
	nsc := namespace.NewNamespaceController(ctx, nsClient, metadataClient,
		nsClient.Discovery().ServerPreferredNamespacedResources,
		factory.Core().V1().Namespaces(), 5*time.Minute, v1.FinalizerKubernetes)

	gcClient := clientFor(cfg, "generic-garbage-collector")
	discoveryClient := memory.NewMemCacheClient(gcClient.Discovery())
	restMapper := restmapper.NewDeferredDiscoveryRESTMapper(discoveryClient)
	restMapper.Reset()
	informersStarted := make(chan struct{})
	gc, err := garbagecollector.NewGarbageCollector(ctx, gcClient, metadataClient, restMapper,
		garbagecollector.DefaultIgnoredResources(),
		informerfactory.NewInformerFactory(factory, metadataFactory), informersStarted)
	if err != nil {
		return err
	}

	factory.Start(ctx.Done())
	metadataFactory.Start(ctx.Done())
	close(informersStarted)

	go dc.Run(ctx, 5)
	go rsc.Run(ctx, 5)
	go jc.Run(ctx, 5)
	go ttl.Run(ctx, 5)
	go sac.Run(ctx, 1)
	go nsc.Run(ctx, 5)
	const gcSync = 10 * time.Second
	go wait.Until(restMapper.Reset, gcSync, ctx.Done())
	go gc.Run(ctx, 5, gcSync)
	go gc.Sync(ctx, gcClient.Discovery(), gcSync)
	return nil
}

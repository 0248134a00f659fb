module github.com/netscore/netscore

go 1.26.8

require (
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/image v0.47.0
	google.golang.org/protobuf v1.36.12
)

require github.com/yalue/onnxruntime_go v1.27.0

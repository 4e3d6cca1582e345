package transport_test

import (
	"context"
	"fmt"
	"net"

	"github.com/parrot-platform/parrot/sip"
	"github.com/parrot-platform/parrot/sip/transport"
)

func ExampleListenUDP() {
	l, err := transport.ListenUDP(context.Background(), "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	got := make(chan transport.Inbound, 1)
	go l.Serve(transport.HandlerFunc(func(in transport.Inbound) { got <- in }))

	c, _ := net.Dial("udp", l.LocalAddr().String())
	defer c.Close()
	c.Write([]byte("OPTIONS sip:service@example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP phone.example.com;branch=z9hG4bK74bf9\r\n" +
		"From: <sip:alice@example.com>;tag=9fxced76sl\r\nTo: <sip:service@example.com>\r\n" +
		"Call-ID: 3848276298220188511@example.com\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"))

	in := <-got
	req := in.Msg.(*sip.Request)
	via, _ := req.Header.Via()
	fmt.Println(in.Transport, req.Method, via.Branch())
	fmt.Println("received:", via.Received())
	// Output:
	// UDP OPTIONS z9hG4bK74bf9
	// received: 127.0.0.1
}

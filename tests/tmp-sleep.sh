#!/bin/bash
echo "KTAP version 1"
sleep 1000 &
sleep 600

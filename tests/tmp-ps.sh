#!/bin/bash
echo "KTAP version 1"
ps -eo pid,pgid,sid,args | grep -v "\[" 

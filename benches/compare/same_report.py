#!/usr/bin/env python3
"""Compares two gatecheck JSON reports key by key, timings aside: prints "identical (timings
aside)" or the first differences. Usage: same_report.py BEFORE.json AFTER.json"""
import json,sys
def norm(d):
    d=dict(d)
    s=dict(d['summary']); s.pop('duration_seconds',None); s.pop('timestamp_seconds',None); d['summary']=s
    return d
def diff(a,b,path='',out=None,limit=40):
    if out is None: out=[]
    if len(out)>=limit: return out
    if type(a)!=type(b): out.append(f"{path}: {str(a)[:120]} != {str(b)[:120]}"); return out
    if isinstance(a,dict):
        for k in sorted(set(a)|set(b)):
            if k not in a or k not in b: out.append(f"{path}.{k}: only in {'new' if k in b else 'old'}")
            else: diff(a[k],b[k],f"{path}.{k}",out,limit)
    elif isinstance(a,list):
        if len(a)!=len(b): out.append(f"{path}: len {len(a)} != {len(b)}")
        for i,(x,y) in enumerate(zip(a,b)): diff(x,y,f"{path}[{i}]",out,limit)
    elif a!=b: out.append(f"{path}: {str(a)[:120]} != {str(b)[:120]}")
    return out
a=norm(json.load(open(sys.argv[1]))); b=norm(json.load(open(sys.argv[2])))
d=diff(a,b)
print("\n".join(d) if d else "identical (timings aside)")

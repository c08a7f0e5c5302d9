# chords.py RUNDIR [THRESH_MS]: per chord of a listen run, each player's onset error (recording) and its line corrections nearby
import sys, json, numpy as np, wave, glob, os
d=sys.argv[1]; thr=float(sys.argv[2]) if len(sys.argv)>2 else 1.0
w=wave.open(d+'/recording.wav'); sr=w.getframerate(); ch=w.getnchannels()
x=np.frombuffer(w.readframes(w.getnframes()),dtype=np.int16).astype(float)/32768
if ch>1: x=x.reshape(-1,ch)[:,0]
def onsets(f):
    n=np.arange(len(x)); z=x*np.exp(-2j*np.pi*f*n/sr)
    L=int(0.008*sr); h=np.hanning(L); h/=h.sum()
    env=np.abs(np.convolve(z,h,'same'))*2
    thr_=0.5*np.percentile(env,99); above=env>thr_
    idx=np.nonzero(above[1:]&~above[:-1])[0]; out=[]; last=-1e9
    for i in idx:
        if i-last<0.1*sr: continue
        pl=np.median(env[i+int(0.02*sr):i+int(0.06*sr)]); th=0.5*pl
        j=max(1,i-int(0.02*sr)); seg=env[j:i+int(0.02*sr)]; k=np.nonzero(seg>=th)[0][0]+j
        out.append((k-1+(th-env[k-1])/(env[k]-env[k-1]))/sr); last=i
    return np.array(out)
dl={}
for l in open(d+'/director.events.jsonl'):
    e=json.loads(l)
    if 'deadline_us' in e and e.get('hz',0)>0: dl.setdefault(e['player'],[]).append((e['deadline_us'],e['t_us']))
players=sorted(dl,key=lambda p:int(p[1:]))
corr={};late={}
for p in players:
    for l in open(f'{d}/{p}.events.jsonl'):
        e=json.loads(l)
        if e['event']=='line-correction': corr.setdefault(p,[]).append((e['t_us'],e['shift_ms']))
        if e['event']=='tone' and e.get('hz',0)>0: late.setdefault(p,{})[e.get('scheduled_t_us',0)]=e
err={}
allv=[]
for p in players:
    O=onsets(float(p[1:])); D=np.array([a for a,b in dl[p]])/1e6
    # offset: median of nearest differences using first-onset alignment guess
    best=None
    for off in (O[:5,None]-D[None,:5]).ravel():
        m=np.array([np.min(np.abs(O-(t+off))) for t in D]); s=np.sum(m<0.03)
        if best is None or s>best[0]: best=(s,off)
    off=best[1]; e=[]
    for t in D:
        j=np.argmin(np.abs(O-(t+off))); e.append(O[j]-t if abs(O[j]-(t+off))<0.1 else np.nan)
    err[p]=np.array(e); allv+= list(err[p])
g=np.nanmedian(allv)
n=min(len(err[p]) for p in players)
M=np.vstack([(err[p][:n]-g)*1000 for p in players])
# remove linear trend common (recording rate)
D0=np.array([a for a,b in dl[players[0]]][:n])/1e6
mm=~np.isnan(M.mean(0)); b,a=np.polyfit(D0[mm]-D0[0],np.nanmedian(M,0)[mm],1); M=M-(a+b*(D0-D0[0]))
sp=np.nanmax(M,0)-np.nanmin(M,0)
print(f"{d}: chords {n} spread p50 {np.nanmedian(sp):.2f} max {np.nanmax(sp):.2f}; err |max| {np.nanmax(np.abs(M)):.2f}")
for i in range(n):
    bad = sp[i]>thr or np.nanmax(np.abs(M[:,i]))>thr
    if not bad: continue
    t=dl[players[0]][i][0]
    s=f"  chord {i:2d} t+{(t-dl[players[0]][0][0])/1e6:6.2f}s spread {sp[i]:6.2f} | "
    for k,p in enumerate(players):
        sendlag=(dl[p][i][0]-dl[p][i][1])/1000
        c=[(ct,sh) for ct,sh in corr.get(p,[]) if abs(ct-t)<600000]
        cs=",".join(f"{(ct-t)/1000:+.0f}ms:{sh:+.1f}" for ct,sh in c)
        s+=f"{p} {M[k,i]:+6.2f} (lead {sendlag:.0f}) [{cs}] "
    print(s)
